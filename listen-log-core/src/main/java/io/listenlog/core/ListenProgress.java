package io.listenlog.core;

import java.util.Objects;
import java.util.UUID;

/**
 * How long a stored listen has been listened to so far, as {@link ListenLogger#progress} hands it to a
 * {@link ListenStore}: the store keeps the larger of the stored and the new value, so updates that repeat or arrive
 * out of order are harmless.
 *
 * @param listenId        the listen ({@link ListenRequest#listenId()})
 * @param listenedSeconds seconds listened so far, never negative, already capped at the logger's
 *                        {@code maxListenDuration}
 */
public record ListenProgress(UUID listenId, int listenedSeconds) {

    public ListenProgress {
        Objects.requireNonNull(listenId, "listenId");
        if (listenedSeconds < 0) {
            throw new IllegalArgumentException("listenedSeconds must not be negative, got " + listenedSeconds);
        }
    }
}
