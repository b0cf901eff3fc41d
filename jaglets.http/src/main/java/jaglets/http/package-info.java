/**
 * The Java client of the jaglets HTTP API: {@link jaglets.http.HostClient} talks to any host,
 * {@link jaglets.http.HttpJagletProxy} is a proxy to an agent on any host. Plain Java (JDK HTTP
 * client, Jackson), usable inside and outside an OSGi framework. {@link jaglets.http.ApiKey} is
 * the API-key check every servlet of a host makes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package jaglets.http;
