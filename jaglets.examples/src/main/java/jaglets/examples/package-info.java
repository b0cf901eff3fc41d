/** Example agents: {@link jaglets.examples.EchoJaglet} and {@link jaglets.examples.CrashingJaglet}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package jaglets.examples;
