/** The HTTP control plane: one whiteboard servlet, its routes, API-key checks and request limits. */
package jaglets.http.internal;
