package io.listenlog.servlet.internal;

import jakarta.servlet.FilterConfig;
import org.jspecify.annotations.Nullable;

import java.util.Locale;

/** The init-params a declaratively registered {@code ListenLogFilter} reads; each one may be missing. */
public record InitParams(@Nullable String pathPrefix, @Nullable String trustedProxies, @Nullable String countOn,
                         @Nullable String streamPrefix, @Nullable String hlsPrefix,
                         @Nullable String downloadPrefix) {

    /** Their names, as a message lists them. */
    public static final String NAMES = "path-prefix/trusted-proxies/count-on/stream-prefix/hls-prefix/download-prefix";

    public static InitParams of(FilterConfig config) {
        return new InitParams(config.getInitParameter("path-prefix"), config.getInitParameter("trusted-proxies"),
                config.getInitParameter("count-on"), config.getInitParameter("stream-prefix"),
                config.getInitParameter("hls-prefix"), config.getInitParameter("download-prefix"));
    }

    public boolean any() {
        return pathPrefix != null || trustedProxies != null || countOn != null || streamPrefix != null
                || hlsPrefix != null || downloadPrefix != null;
    }

    /** @throws IllegalArgumentException unless it starts and ends with {@code /} */
    public String pathPrefixOr(String defaultPrefix) {
        return ListenPaths.checkPrefix(pathPrefix == null ? defaultPrefix : pathPrefix.strip(), "path-prefix");
    }

    /**
     * Whether {@code count-on} is {@code playback} (the default) rather than {@code page-view}.
     *
     * @throws IllegalArgumentException for any other value
     */
    public boolean countsOnPlayback() {
        if (countOn == null || countOn.isBlank()) {
            return true;
        }
        return switch (countOn.strip().toLowerCase(Locale.ROOT)) {
            case "playback" -> true;
            case "page-view" -> false;
            default -> throw new IllegalArgumentException("count-on must be playback or page-view, got '" + countOn
                    + "'");
        };
    }

    /** @throws IllegalArgumentException unless it starts and ends with {@code /} */
    public @Nullable String streamPrefixOrNone() {
        return prefixOrNone(streamPrefix, "stream-prefix");
    }

    /** @throws IllegalArgumentException unless it starts and ends with {@code /} */
    public @Nullable String hlsPrefixOrNone() {
        return prefixOrNone(hlsPrefix, "hls-prefix");
    }

    /** @throws IllegalArgumentException unless it starts and ends with {@code /} */
    public @Nullable String downloadPrefixOrNone() {
        return prefixOrNone(downloadPrefix, "download-prefix");
    }

    private static @Nullable String prefixOrNone(@Nullable String prefix, String name) {
        return prefix == null || prefix.isBlank() ? null : ListenPaths.checkPrefix(prefix.strip(), name);
    }
}
