/**
 * The jaglets agent API: everything an agent bundle imports, and nothing else.
 *
 * <p>An agent is a {@link jaglets.api.Jaglet} subclass with a Jackson-serializable state class.
 * It receives {@link jaglets.api.Message}s, reaches other agents through
 * {@link jaglets.api.JagletProxy proxies}, and uses its {@link jaglets.api.JagletContext} for
 * everything the host offers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package jaglets.api;
