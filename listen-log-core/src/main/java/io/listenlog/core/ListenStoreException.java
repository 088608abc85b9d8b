package io.listenlog.core;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/**
 * A failure of {@link ListenStore#write}, classified so the logger knows whether to retry or to reject. In both cases
 * the store guarantees that nothing of the batch was written.
 */
public final class ListenStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final int[] rejectedIndexes;

    private ListenStoreException(String message, @Nullable Throwable cause, boolean transientFailure,
                                 int[] rejectedIndexes) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.rejectedIndexes = rejectedIndexes;
    }

    /** Nothing was written and the same batch may succeed later (connection lost, timeout, lock, deadlock). */
    public static ListenStoreException transientFailure(String message, @Nullable Throwable cause) {
        return new ListenStoreException(message, cause, true, new int[0]);
    }

    /**
     * Nothing was written because some events can never be stored (for example an unknown {@code source_id}).
     *
     * @param batchIndexes positions in the batch of the offending events; empty when the store cannot tell which
     */
    public static ListenStoreException rejected(String message, @Nullable Throwable cause, int... batchIndexes) {
        return new ListenStoreException(message, cause, false, batchIndexes.clone());
    }

    /** {@code true} for a failure worth retrying, {@code false} for a rejection. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Positions of the rejected events in the batch; empty for transient failures or when unknown. */
    public int[] rejectedIndexes() {
        return rejectedIndexes.clone();
    }

    @Override
    public String toString() {
        return super.toString() + (transientFailure ? " [transient]" : " [rejected " + Arrays.toString(rejectedIndexes) + "]");
    }
}
