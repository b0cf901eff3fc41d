/**
 * Host membership: which hosts form this host's mesh, whether they are online, what they offer.
 * {@link jaglets.mesh.Mesh} is the service; {@link jaglets.mesh.HostRef} describes one host.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package jaglets.mesh;
