/** The child JVM: its framework, the agent it runs, and the agent's context. */
package jaglets.child.internal;
