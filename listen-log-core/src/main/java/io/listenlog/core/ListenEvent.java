package io.listenlog.core;

import io.listenlog.core.internal.JsonShape;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

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
 * @param listener        the listener's identity under {@link ListenerIdentity#ADDRESS_AND_USER_AGENT}: 64 lowercase
 *                        hex digits, a hash of {@code ipHash} and the user agent; {@code null} under
 *                        {@link ListenerIdentity#ADDRESS} or without an address, and audience figures then use
 *                        {@code ipHash}
 * @param location        the country (and region) a {@link GeoLookup} found for the address, or {@code null}
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
        @Nullable ClientInfo client,
        @Nullable String listener,
        @Nullable Location location) {

    /** An event without a listener identity of its own or a location: figures use {@code ipHash}. */
    public ListenEvent(UUID listenId, long sourceId, Instant occurredAt, @Nullable String ipHash,
                       @Nullable String userAgent, @Nullable String referrer, @Nullable Integer durationSeconds,
                       @Nullable Map<String, Object> extra, @Nullable ClientInfo client) {
        this(listenId, sourceId, occurredAt, ipHash, userAgent, referrer, durationSeconds, extra, client, null, null);
    }

    /** An event that was not classified ({@code client} is {@code null}). */
    public ListenEvent(UUID listenId, long sourceId, Instant occurredAt, @Nullable String ipHash,
                       @Nullable String userAgent, @Nullable String referrer, @Nullable Integer durationSeconds,
                       @Nullable Map<String, Object> extra) {
        this(listenId, sourceId, occurredAt, ipHash, userAgent, referrer, durationSeconds, extra, null, null, null);
    }

    private static final Pattern LISTENER = Pattern.compile("[0-9a-f]{64}");

    public ListenEvent {
        Objects.requireNonNull(listenId, "listenId");
        if (sourceId <= 0) {
            throw new IllegalArgumentException("sourceId must be positive, got " + sourceId);
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (durationSeconds != null && durationSeconds < 0) {
            throw new IllegalArgumentException("durationSeconds must not be negative, got " + durationSeconds);
        }
        if (listener != null && !LISTENER.matcher(listener).matches()) {
            throw new IllegalArgumentException("listener must be 64 lowercase hex digits (a SHA-256), got "
                    + listener.length() + " characters");
        }
        if (extra != null && !JsonShape.isImmutableCopy(extra)) {
            extra = JsonShape.immutableCopy(extra, ListenRequest.MAX_EXTRA_JSON_LENGTH);
        }
    }
}
