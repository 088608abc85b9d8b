package io.listenlog.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Time-ordered listen ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds and 74 random bits. */
final class ListenIds {
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;

    private ListenIds() {
    }

    /** A new version-7 UUID for the current time. Not a secret: its randomness only keeps ids apart. */
    static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | VERSION_7 | (random.nextLong() & 0x0FFFL);
        long low = VARIANT_RFC | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(high, low);
    }
}
