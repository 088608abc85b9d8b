package io.listenlog.core.internal;

import io.listenlog.core.ListenStoreException;

import java.time.DateTimeException;
import java.util.BitSet;

/**
 * The one policy for a failing {@link io.listenlog.core.ListenStore}, on every path that calls one (the logger's
 * writer and the Redis stream consumer): what a failure means, and which events of a batch a rejection names.
 */
public final class StoreFailures {

    private StoreFailures() {
    }

    /** What a store call that threw comes to. */
    public enum Outcome {
        /** Nothing was written and the same call may succeed later: retry it with backoff. */
        RETRY,
        /** Nothing was written and never will be: isolate and reject the offending events. */
        REJECT
    }

    /**
     * {@link ListenStoreException} says itself; {@link IllegalArgumentException}, {@link DateTimeException},
     * {@link ArithmeticException} and {@link ClassCastException} are a value the store cannot take, so they reject;
     * every other failure is the backend's and is retried. A {@link VirtualMachineError} is thrown on.
     */
    public static Outcome classify(Throwable failure) {
        if (failure instanceof VirtualMachineError error) {
            throw error;
        }
        if (failure instanceof ListenStoreException e) {
            return e.isTransient() ? Outcome.RETRY : Outcome.REJECT;
        }
        return isDataError(failure) ? Outcome.REJECT : Outcome.RETRY;
    }

    /**
     * As {@link #classify}, for {@code updateDurations}: a store that does not record listening time
     * ({@link UnsupportedOperationException}) rejects the updates too.
     */
    public static Outcome classifyUpdate(Throwable failure) {
        return failure instanceof UnsupportedOperationException ? Outcome.REJECT : classify(failure);
    }

    /** A rejecting failure as a {@link ListenStoreException} (itself when it is one). */
    public static ListenStoreException asRejection(Throwable failure) {
        return failure instanceof ListenStoreException e ? e : ListenStoreException.rejected(
                "the store cannot take a value of this listen (" + failure.getClass().getName() + ")", failure);
    }

    /**
     * The events of a batch of {@code size} that {@code rejection} names, ignoring indexes outside the batch. Empty
     * when it names none of them: then the batch is split in halves to find them, and a batch of one is the offender.
     */
    public static BitSet named(ListenStoreException rejection, int size) {
        BitSet named = new BitSet(size);
        for (int index : rejection.rejectedIndexes()) {
            if (index >= 0 && index < size) {
                named.set(index);
            }
        }
        if (named.isEmpty() && size == 1) {
            named.set(0);
        }
        return named;
    }

    private static boolean isDataError(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof DateTimeException
                || e instanceof ArithmeticException || e instanceof ClassCastException;
    }
}
