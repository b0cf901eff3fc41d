/**
 * Relay and connect mode: every host is a hub that relays requests to nodes without an inbound
 * port ({@code RelayServlet}, {@code RelayHub}); a host in connect mode keeps a link to its hub and
 * replays what it relays against its own API on loopback ({@code RelayClient}, {@code NodeLink}).
 */
package jaglets.relay.internal;
