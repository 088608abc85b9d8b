package io.listenlog.spring.boot.internal;

import java.util.Locale;
import java.util.Set;

/** The properties and environment variables of listen-log whose values are secrets: never shown, logged or exposed. */
public final class Secrets {
    private static final Set<String> NAMES = Set.of("listenlog.anonymizer.key", "listenlog.filter.token-key",
            "listenlog.redis.uri", "listen_log_salt", "listen_log_token_key");

    private Secrets() {
    }

    /** Whether {@code name} (a property in any of Spring's spellings, or an environment variable) is a secret. */
    public static boolean isSecret(String name) {
        if (name == null) {
            return false;
        }
        String canonical = name.toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "");
        for (String secret : NAMES) {
            if (canonical.equals(secret.replace('_', '.').replace("-", ""))) {
                return true;
            }
        }
        return false;
    }
}
