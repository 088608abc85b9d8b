package io.listenlog.core;

import io.listenlog.core.internal.HmacIpAnonymizer;
import io.listenlog.core.internal.RotatingHmacAnonymizer;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a client address into a pseudonymous token, so that a {@link ListenEvent} never holds a raw IP.
 *
 * <p>Implementations must be thread-safe, must return {@code null} (never the input) for a missing or unparseable
 * address, and must give one output for one address whatever its textual form.
 */
@FunctionalInterface
public interface IpAnonymizer {

    /** The environment variable {@link #fromEnvironment()} reads the secret key from. */
    String SALT_VARIABLE = "LISTEN_LOG_SALT";

    /**
     * The anonymized form of {@code clientIp}, or {@code null} when it is {@code null}, empty or not an IP literal.
     */
    @Nullable String anonymize(@Nullable String clientIp);

    /**
     * The anonymized form of an address seen at {@code occurredAt}. The logger calls this one; anonymizers whose key
     * depends on the day (see {@link #dailyRotating(DailyKeyStore)}) override it. By default it ignores the time.
     */
    default @Nullable String anonymize(@Nullable String clientIp, Instant occurredAt) {
        return anonymize(clientIp);
    }

    /**
     * Keyed HMAC-SHA256 of the parsed address, as 64 lowercase hex digits. The address is parsed and normalized first
     * (an IPv4-mapped IPv6 address hashes like its IPv4 form, IPv6 text forms are canonicalized, zone ids dropped).
     * Host names are never resolved.
     *
     * <p>A keyed MAC, unlike a salted SHA-256, cannot be brute-forced over all 2<sup>32</sup> IPv4 addresses without the
     * key: the key is what makes the hashes pseudonymous, so keep it secret.
     *
     * @param secret the key: at least 16 characters, not {@code change-me}; generate one with
     *               {@code openssl rand -hex 32}
     * @throws IllegalArgumentException for a missing, blank, default or short secret
     */
    static IpAnonymizer hmacSha256(String secret) {
        return hmacSha256(secret, IpPrecision.FULL_ADDRESS);
    }

    /**
     * Like {@link #hmacSha256(String)}, keeping only as much of the address as {@code precision} says.
     *
     * @throws IllegalArgumentException for a missing, blank, default or short secret
     */
    static IpAnonymizer hmacSha256(String secret, IpPrecision precision) {
        return HmacIpAnonymizer.create(secret, precision, "the secret passed to IpAnonymizer.hmacSha256");
    }

    /**
     * {@link #hmacSha256(String)} keyed with the environment variable {@value #SALT_VARIABLE}.
     *
     * @throws IllegalArgumentException if the variable is unset, blank, {@code change-me} or shorter than 16
     *                                  characters; the message says how to generate a good one
     */
    static IpAnonymizer fromEnvironment() {
        return fromEnvironment(IpPrecision.FULL_ADDRESS);
    }

    /** {@link #fromEnvironment()} with the given precision. */
    static IpAnonymizer fromEnvironment(IpPrecision precision) {
        return HmacIpAnonymizer.create(System.getenv(SALT_VARIABLE), precision, "the environment variable " + SALT_VARIABLE);
    }

    /**
     * HMAC-SHA256 under a key that changes every UTC day, in the spirit of Plausible Analytics: hashes of one address
     * on two days cannot be linked, and once a day's key is destroyed (at the end of the next UTC day) nobody, not even
     * someone holding the database, can recompute them. The trade-off: unique listeners can be counted per day only,
     * never across days. Events of a day whose key is already destroyed get a {@code null} hash.
     *
     * @param keys where the daily keys live; shared through the database when several instances write
     */
    static IpAnonymizer dailyRotating(DailyKeyStore keys) {
        return dailyRotating(keys, IpPrecision.FULL_ADDRESS, Duration.ofDays(1), Clock.systemUTC());
    }

    /**
     * {@link #dailyRotating(DailyKeyStore)} with all options.
     *
     * @param keyGrace how many whole days a key outlives its day (0 to 30), so that late events still hash
     * @param clock    what "today" is
     */
    static IpAnonymizer dailyRotating(DailyKeyStore keys, IpPrecision precision, Duration keyGrace, Clock clock) {
        return new RotatingHmacAnonymizer(keys, precision, keyGrace, clock);
    }
}
