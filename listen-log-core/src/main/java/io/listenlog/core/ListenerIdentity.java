package io.listenlog.core;

/**
 * What makes two listens the same listener, for unique listeners (cume), AQH and time spent listening:
 * {@link ListenLogger.Builder#listenerIdentity}. Each listen stores the identity it was logged with, so changing the
 * rule never changes the figures of listens already stored. docs/metrics.md describes both.
 */
public enum ListenerIdentity {

    /**
     * The default, as the IAB Podcast Measurement guidelines and peers count uniques: the keyed hash of the address
     * (cut to its network under the CNIL preset) together with the user agent, so that several devices behind one
     * address (a household, an office) count as several listeners. Stored in the {@code listener} column as the
     * SHA-256 of the address hash and the normalized user agent.
     */
    ADDRESS_AND_USER_AGENT,

    /**
     * The address alone, the only rule before this setting existed and the one listens stored before it keep: every
     * device behind one address is one listener. The {@code listener} column is left empty and the address hash is the identity.
     */
    ADDRESS
}
