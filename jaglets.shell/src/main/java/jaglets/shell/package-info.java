/**
 * Gogo commands of scope {@code jaglets}: thin adapters over the {@link jaglets.runtime.Host}
 * service. {@link jaglets.shell.Tables} is the one place answers are formatted for people and
 * {@link jaglets.shell.CommandInput} the one place their input is read; the {@code jaglets}
 * terminal client uses both as a plain library.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package jaglets.shell;
