/** Seed gossip with a bounded fan-out, over a pluggable transport. */
package jaglets.mesh.internal;
