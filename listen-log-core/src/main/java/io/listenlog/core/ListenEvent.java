package io.listenlog.core;

import io.listenlog.core.internal.JsonShape;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One play as it is stored: what a {@link ListenStore} writes as a {@code listen_event} row. It never holds a raw IP
 * address: {@code ipHash} is the output of an {@link IpAnonymizer}.
 *
 * <p>The logger builds events from {@link ListenRequest}s after normalizing them (see {@link ListenLogger.Builder}):
 * user agent and referrer without control characters and cut to their maximum lengths, the referrer's query and
 * fragment dropped unless configured otherwise, {@code extra} copied immutably.
 *
 * @param listenId        the listen's identity ({@link ListenRequest#listenId()}): a store writes it once
 * @param sourceId        the played {@code radio_source} id, positive
 * @param occurredAt      when the play happened (an {@link Instant}, so always UTC)
 * @param ipHash          anonymized client address, or {@code null} when it was missing or unparseable
 * @param userAgent       normalized user agent, or {@code null}
 * @param referrer        normalized referrer, or {@code null}
 * @param durationSeconds play duration in seconds when known, never negative
 * @param extra           host-defined JSON-shaped details, immutable, or {@code null}
 * @param client          what the logger's {@link ClientClassifier} made of the user agent, or {@code null} when
 *                        the event was not classified (stores then leave the client columns empty, and audience
 *                        figures count it as a person's)
 */
public record ListenEvent(
        UUID listenId,
        long sourceId,
        Instant occurredAt,
        @Nullable String ipHash,
        @Nullable String userAgent,
        @Nullable String referrer,
        @Nullable Integer durationSeconds,
        @Nullable Map<String, Object> extra,
        @Nullable ClientInfo client) {

    /** An event that was not classified ({@code client} is {@code null}). */
    public ListenEvent(UUID listenId, long sourceId, Instant occurredAt, @Nullable String ipHash,
                       @Nullable String userAgent, @Nullable String referrer, @Nullable Integer durationSeconds,
                       @Nullable Map<String, Object> extra) {
        this(listenId, sourceId, occurredAt, ipHash, userAgent, referrer, durationSeconds, extra, null);
    }

    public ListenEvent {
        Objects.requireNonNull(listenId, "listenId");
        if (sourceId <= 0) {
            throw new IllegalArgumentException("sourceId must be positive, got " + sourceId);
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (durationSeconds != null && durationSeconds < 0) {
            throw new IllegalArgumentException("durationSeconds must not be negative, got " + durationSeconds);
        }
        if (extra != null && !JsonShape.isImmutableCopy(extra)) {
            extra = JsonShape.immutableCopy(extra, ListenRequest.MAX_EXTRA_JSON_LENGTH);
        }
    }
}
