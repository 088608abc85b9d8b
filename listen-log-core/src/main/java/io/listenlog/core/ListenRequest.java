package io.listenlog.core;

import io.listenlog.core.internal.JsonShape;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The raw facts of one play, captured on the request thread and handed to {@link ListenLogger#log(ListenRequest)}.
 *
 * <p>A request still holds the client's raw IP address: it only lives in memory until the logger turns it into a
 * {@link ListenEvent}, which holds the anonymized form only. {@link #toString()} never prints the address.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ListenRequest {

    /** The largest {@code extra} accepted, measured as the length of its compact JSON encoding in characters. */
    public static final int MAX_EXTRA_JSON_LENGTH = 8192;
    /** User agents are cut to this many characters when captured, so a queued request never pins a huge header. */
    public static final int MAX_USER_AGENT_LENGTH = 2048;
    /** Referrers are cut to this many characters when captured. */
    public static final int MAX_REFERRER_LENGTH = 4096;
    /** Longer client addresses are not addresses; they are captured as missing. */
    static final int MAX_CLIENT_IP_LENGTH = 256;
    /** The earliest {@code occurredAt} every supported database can store: 0001-01-01T00:00:00Z. */
    public static final Instant MIN_OCCURRED_AT = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest {@code occurredAt} every supported database can store: the end of 9999-12-31 (UTC). */
    public static final Instant MAX_OCCURRED_AT = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final UUID listenId;
    private final long sourceId;
    private final @Nullable String clientIp;
    private final @Nullable String userAgent;
    private final @Nullable String referrer;
    private final @Nullable Integer durationSeconds;
    private final @Nullable Map<String, Object> extra;
    private final @Nullable Instant occurredAt;

    private ListenRequest(Builder builder) {
        this.listenId = builder.listenId != null ? builder.listenId : ListenIds.next();
        this.sourceId = builder.sourceId;
        this.clientIp = builder.clientIp;
        this.userAgent = builder.userAgent;
        this.referrer = builder.referrer;
        this.durationSeconds = builder.durationSeconds;
        this.extra = builder.extra;
        this.occurredAt = builder.occurredAt;
    }

    /**
     * A builder for a play of the radio source {@code sourceId}.
     *
     * @throws IllegalArgumentException if {@code sourceId <= 0}
     */
    public static Builder builder(long sourceId) {
        return new Builder(sourceId);
    }

    /**
     * The common case: a play with the facts a web request carries. Any of the strings may be {@code null}.
     *
     * @throws IllegalArgumentException if {@code sourceId <= 0}
     */
    public static ListenRequest of(long sourceId, @Nullable String clientIp, @Nullable String userAgent,
                                   @Nullable String referrer) {
        return builder(sourceId).clientIp(clientIp).userAgent(userAgent).referrer(referrer).build();
    }

    /**
     * This listen's identity, never {@code null}: the one given to {@link Builder#listenId}, or a new time-ordered
     * UUID (version 7, RFC 9562) assigned when the request was built. A store writes a listen id once, however often
     * it is retried or replayed, and {@link ListenLogger#progress} names the listen by it.
     */
    public UUID listenId() {
        return listenId;
    }

    /** The id of the played {@code radio_source} row; always positive. */
    public long sourceId() {
        return sourceId;
    }

    /** The client's address as captured (raw, not yet anonymized), or {@code null}. */
    public @Nullable String clientIp() {
        return clientIp;
    }

    /** The {@code User-Agent} as captured, or {@code null}. */
    public @Nullable String userAgent() {
        return userAgent;
    }

    /** The {@code Referer} as captured, or {@code null}. */
    public @Nullable String referrer() {
        return referrer;
    }

    /** How long the listener played, in seconds, when known; never negative. */
    public @Nullable Integer durationSeconds() {
        return durationSeconds;
    }

    /** Host-defined JSON-shaped details (deeply immutable), or {@code null}. */
    public @Nullable Map<String, Object> extra() {
        return extra;
    }

    /** When the play happened, or {@code null} to let the logger stamp it from its clock. */
    public @Nullable Instant occurredAt() {
        return occurredAt;
    }

    /** A copy of this request with {@code occurredAt} set. */
    public ListenRequest withOccurredAt(Instant occurredAt) {
        return toBuilder().occurredAt(occurredAt).build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(sourceId);
        b.listenId = listenId;
        b.clientIp = clientIp;
        b.userAgent = userAgent;
        b.referrer = referrer;
        b.durationSeconds = durationSeconds;
        b.extra = extra;
        b.occurredAt = occurredAt;
        return b;
    }

    /** Never includes the client address. */
    @Override
    public String toString() {
        return "ListenRequest[listenId=" + listenId
                + ", sourceId=" + sourceId
                + ", clientIp=" + (clientIp == null ? "null" : "<redacted>")
                + ", userAgent=" + userAgent
                + ", referrer=" + referrer
                + ", durationSeconds=" + durationSeconds
                + ", extra=" + extra
                + ", occurredAt=" + occurredAt + "]";
    }

    /** Builds a {@link ListenRequest}; not thread-safe. */
    public static final class Builder {
        private final long sourceId;
        private @Nullable UUID listenId;
        private @Nullable String clientIp;
        private @Nullable String userAgent;
        private @Nullable String referrer;
        private @Nullable Integer durationSeconds;
        private @Nullable Map<String, Object> extra;
        private @Nullable Instant occurredAt;

        private Builder(long sourceId) {
            if (sourceId <= 0) {
                throw new IllegalArgumentException("sourceId must be positive (a radio_source id), got " + sourceId);
            }
            this.sourceId = sourceId;
        }

        /**
         * The listen's identity, for a host that made it earlier (a player page that reports progress later, an
         * import that replays events); without it, {@link #build()} assigns a new version-7 UUID.
         */
        public Builder listenId(UUID listenId) {
            this.listenId = Objects.requireNonNull(listenId, "listenId");
            return this;
        }

        /**
         * The client address: IPv4 or IPv6 literal as the container reports it. A value longer than any address
         * spelling (256 characters) is captured as missing.
         */
        public Builder clientIp(@Nullable String clientIp) {
            this.clientIp = clientIp != null && clientIp.length() > MAX_CLIENT_IP_LENGTH ? null : clientIp;
            return this;
        }

        /** The {@code User-Agent}; cut to {@link #MAX_USER_AGENT_LENGTH} characters here, on capture. */
        public Builder userAgent(@Nullable String userAgent) {
            this.userAgent = cut(userAgent, MAX_USER_AGENT_LENGTH);
            return this;
        }

        /** The {@code Referer}; cut to {@link #MAX_REFERRER_LENGTH} characters here, on capture. */
        public Builder referrer(@Nullable String referrer) {
            this.referrer = cut(referrer, MAX_REFERRER_LENGTH);
            return this;
        }

        /** The first {@code max} characters (a copy, so the original can go), never splitting a surrogate pair. */
        private static @Nullable String cut(@Nullable String value, int max) {
            if (value == null || value.length() <= max) {
                return value;
            }
            int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
            return value.substring(0, end);
        }

        /**
         * How long the listener played, in seconds, or {@code null} when unknown.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder durationSeconds(Integer durationSeconds) {
            if (durationSeconds != null && durationSeconds < 0) {
                throw new IllegalArgumentException("durationSeconds must not be negative, got " + durationSeconds);
            }
            this.durationSeconds = durationSeconds;
            return this;
        }

        /**
         * Host-defined details stored as JSON. Values must be JSON-shaped: {@code String}, {@code Number},
         * {@code Boolean}, {@code null}, {@code List} of such values, or {@code Map} with {@code String} keys. The
         * map is copied deeply; its compact JSON encoding may be at most {@link #MAX_EXTRA_JSON_LENGTH} characters.
         *
         * @throws IllegalArgumentException if a value is not JSON-shaped or the map is too large
         */
        public Builder extra(Map<String, ?> extra) {
            this.extra = extra == null ? null : JsonShape.immutableCopy(extra, MAX_EXTRA_JSON_LENGTH);
            return this;
        }

        /**
         * When the play happened; {@code null} (the default) lets the logger use its clock.
         *
         * @throws IllegalArgumentException if outside {@link #MIN_OCCURRED_AT}..{@link #MAX_OCCURRED_AT} (years 1 to
         *                                  9999), which no supported database can store
         */
        public Builder occurredAt(Instant occurredAt) {
            if (occurredAt != null && (occurredAt.isBefore(MIN_OCCURRED_AT) || occurredAt.isAfter(MAX_OCCURRED_AT))) {
                throw new IllegalArgumentException("occurredAt must be between " + MIN_OCCURRED_AT + " and "
                        + MAX_OCCURRED_AT + " (the years a database can store), got " + occurredAt
                        + ": check the clock or the time the host parsed");
            }
            this.occurredAt = occurredAt;
            return this;
        }

        public ListenRequest build() {
            return new ListenRequest(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ListenRequest other)) {
            return false;
        }
        return sourceId == other.sourceId
                && listenId.equals(other.listenId)
                && Objects.equals(clientIp, other.clientIp)
                && Objects.equals(userAgent, other.userAgent)
                && Objects.equals(referrer, other.referrer)
                && Objects.equals(durationSeconds, other.durationSeconds)
                && Objects.equals(extra, other.extra)
                && Objects.equals(occurredAt, other.occurredAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(listenId, sourceId, clientIp, userAgent, referrer, durationSeconds, extra, occurredAt);
    }
}
