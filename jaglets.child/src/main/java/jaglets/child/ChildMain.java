package jaglets.child;

import jaglets.child.internal.ChildRuntime;

/**
 * Entry point of a child JVM. Arguments: {@code <socket> <token> <child dir> <system packages file>}
 * to serve one agent (with {@code --no-warm-up} when the agent waits for this child), or {@code --train <child dir> <system packages file>} for the run that
 * records the class-data archive.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--train")) {
            ChildRuntime.train(args[1], args[2]);
            return;
        }
        boolean warmUp = args.length == 4;
        if (!warmUp && !(args.length == 5 && args[4].equals("--no-warm-up"))) {
            System.err.println("usage: ChildMain <socket> <token> <child dir> <system packages file> [--no-warm-up]");
            System.exit(2);
        }
        try {
            ChildRuntime.serve(args[0], args[1], args[2], args[3], warmUp);
        } catch (Throwable e) {
            // e.g. the host died before we connected; framework threads must not keep us alive
            System.err.println("jaglets child: " + e);
            Runtime.getRuntime().halt(1);
        }
    }
}
