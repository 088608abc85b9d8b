package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.internal.KeyChecks;
import io.listenlog.core.internal.KeyDeriving;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/** How the filter's listen tokens are signed: the one place that chooses the key. */
public final class TokenKeys {

    private TokenKeys() {
    }

    /**
     * The given key, else the environment variable {@code variable}, else a key derived from the logger's
     * anonymization key (its key from {@code LISTEN_LOG_SALT} or the host's configuration, or its daily keys in the
     * database: every instance that hashes alike signs alike), else a random key of this filter alone, with a warning.
     *
     * @throws IllegalArgumentException when a given key is weak, saying how to make one
     */
    public static ListenTokens tokens(@Nullable String key, String variable, ListenLogger logger,
                                      Duration maxListenDuration,
                                      Logger log) {
        String chosen = key;
        String source = "the key given to ListenLogFilter.Builder.tokenKey";
        if (chosen == null) {
            chosen = System.getenv(variable);
            source = "the environment variable " + variable;
        }
        if (chosen != null) {
            String problem = KeyChecks.weakness(chosen);
            if (problem != null) {
                throw new IllegalArgumentException("The listen token key (" + source + ") " + problem + ". "
                        + KeyChecks.HOW_TO_GENERATE + " and give every instance the same one, or leave it unset to "
                        + "derive it from the anonymization key.");
            }
            return new ListenTokens(chosen.getBytes(StandardCharsets.UTF_8));
        }
        if (logger.anonymizer() instanceof KeyDeriving deriving) {
            // Only starts a token can have: a forged one must not make a daily key store create keys for other days.
            Duration oldest = maxListenDuration.plusDays(1);
            return new ListenTokens(start -> {
                Instant now = logger.clock().instant();
                return start.isAfter(now.plusSeconds(60)) || start.isBefore(now.minus(oldest)) ? null
                        : deriving.derivedKey(ListenTokens.PURPOSE, start);
            });
        }
        log.warn("listen-log signs listen tokens with a random key of this instance, because its logger's anonymizer "
                + "is the host's own: set {} (openssl rand -hex 32) on every instance, or progress reports of pages "
                + "served by another instance are refused", variable);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new ListenTokens(random);
    }
}
