package jaglets.api;

/** Counters of an agent's mailbox on its host. */
public record MailboxStatus(int queuedCount, int inFlightCount, long deliveredCount, long failedCount) {
    public static final MailboxStatus EMPTY = new MailboxStatus(0, 0, 0, 0);
}
