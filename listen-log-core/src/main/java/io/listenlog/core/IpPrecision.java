package io.listenlog.core;

/** How much of a client address an {@link IpAnonymizer} keeps before hashing it. */
public enum IpPrecision {
    /** The whole address: one client, one hash. */
    FULL_ADDRESS,
    /**
     * Only the network: IPv4 truncated to /24 and IPv6 to /64 before hashing, as Google Analytics and the IAB podcast
     * measurement guidelines do. Neighbours share a hash; unique-listener counts become coarser.
     */
    NETWORK
}
