package io.listenlog.core;

import io.listenlog.core.internal.HmacIpAnonymizer;

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
    String anonymize(String clientIp);

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
}
