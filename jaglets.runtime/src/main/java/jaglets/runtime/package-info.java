/**
 * The host service: what the HTTP API, the shell, the mesh and other bundles use to drive
 * agents on this host.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package jaglets.runtime;
