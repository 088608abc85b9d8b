package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * An anonymizer whose key can key something else: the servlet filter signs listen tokens with a key derived from the
 * anonymization key, so that every instance that hashes addresses alike also signs tokens alike, with nothing more
 * to configure. A derived key reveals nothing about the key it comes from.
 */
public interface KeyDeriving {

    /**
     * HMAC-SHA256 of {@code purpose} under the key in force at {@code at}, or {@code null} when that key no longer
     * exists (a destroyed daily key).
     */
    byte @Nullable [] derivedKey(String purpose, Instant at);
}
