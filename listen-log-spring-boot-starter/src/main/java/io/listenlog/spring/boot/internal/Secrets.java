package io.listenlog.spring.boot.internal;

import java.util.Locale;
import java.util.Set;

/** The properties and environment variables of listen-log whose values are secrets: never shown, logged or exposed. */
public final class Secrets {
    /** In the canonical form of {@link #canonical}. */
    private static final Set<String> NAMES = Set.of("listenlog.anonymizer.key", "listenlog.filter.tokenkey",
            "listenlog.redis.uri", "listen.log.salt", "listen.log.token.key");

    private Secrets() {
    }

    /** Whether {@code name} (a property in any of Spring's spellings, or an environment variable) is a secret. */
    public static boolean isSecret(String name) {
        return name != null && NAMES.contains(canonical(name));
    }

    /** One spelling for Spring's relaxed forms: lower case, dots for underscores, no dashes. */
    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "");
    }
}
