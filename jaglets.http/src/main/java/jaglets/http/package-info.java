/**
 * The Java client of the jaglets HTTP API: {@link jaglets.http.HostClient} talks to any host,
 * {@link jaglets.http.HttpJagletProxy} is a proxy to an agent on any host. Plain Java (JDK HTTP
 * client, Jackson), usable inside and outside an OSGi framework.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package jaglets.http;
