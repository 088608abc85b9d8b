package io.listenlog.jdbc;

/**
 * The one failure of listen-log's read paths ({@link ListenStats}' queries, {@link ListenRetention#runOnce()}): the
 * database could not be read or written. An {@link IllegalStateException}, as these failures always were, so existing
 * handlers keep working. Its message is safe to log: literals a driver quotes from rows are blanked out.
 */
public final class ListenDataAccessException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    ListenDataAccessException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /**
     * Whether the same call may succeed later (connection lost, timeout, lock, deadlock): worth retrying or showing as
     * "try again", where another failure (a missing table, a permission) needs someone to fix something.
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
