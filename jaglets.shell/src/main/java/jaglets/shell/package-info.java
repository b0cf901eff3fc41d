/**
 * Gogo commands of scope {@code jaglets}: thin adapters over the {@link jaglets.runtime.Host}
 * service. {@link jaglets.shell.Tables} is the one place agent listings are formatted.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package jaglets.shell;
