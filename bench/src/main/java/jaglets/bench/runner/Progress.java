package jaglets.bench.runner;

/** Progress lines on stdout; the driver shows them, prefixed with the phase. */
final class Progress {
    private Progress() {
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
