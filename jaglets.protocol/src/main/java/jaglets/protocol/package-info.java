/**
 * The private channel between a host and its child JVMs: length-prefixed JSON frames over a
 * Unix domain socket, carried by a symmetric request/reply {@link jaglets.protocol.RpcPeer},
 * plus the paglets-compatible JSON shapes ({@link jaglets.protocol.WireFormat},
 * {@link jaglets.protocol.Json}). Used by the runtime and the child; not an API for agents.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package jaglets.protocol;
