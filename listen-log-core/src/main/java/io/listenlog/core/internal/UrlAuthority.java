package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * The authority of a URL, {@code scheme://[userinfo@]host[:port]}, read leniently (unlike {@link java.net.URI}, it
 * takes the non-ASCII hosts and paths that referrers carry): the one parser of the referrer's cleaning, its origin
 * and its host.
 *
 * @param url       the URL
 * @param start     where the authority starts (after {@code scheme://}, or {@code //} for a scheme-relative URL)
 * @param end       where it ends: the first {@code /}, {@code ?} or {@code #} after it, or the end
 * @param hostStart where its host starts, after any {@code userinfo@}
 */
public record UrlAuthority(String url, int start, int end, int hostStart) {

    /** The authority of {@code url}, or {@code null} when it has none (no {@code scheme://} nor {@code //}). */
    public static @Nullable UrlAuthority of(@Nullable String url) {
        if (url == null) {
            return null;
        }
        int start;
        if (url.startsWith("//")) {
            start = 2;
        } else {
            int schemeEnd = url.indexOf("://");
            if (schemeEnd <= 0 || !isScheme(url.substring(0, schemeEnd))) {
                return null;
            }
            start = schemeEnd + 3;
        }
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return new UrlAuthority(url, start, end, at < start ? start : at + 1);
    }

    /** RFC 3986: a letter, then letters, digits, {@code +}, {@code -} or {@code .}. */
    private static boolean isScheme(String scheme) {
        if (!Character.isLetter(scheme.charAt(0))) {
            return false;
        }
        return scheme.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'));
    }

    /** The URL without its {@code userinfo@}: credentials are never stored. */
    public String withoutUserInfo() {
        return hostStart == start ? url : url.substring(0, start) + url.substring(hostStart);
    }

    /**
     * The host, lowercased, without the port ({@code [::1]} keeps its brackets); {@code null} when it is empty or
     * holds white space or control characters.
     */
    public @Nullable String host() {
        String hostAndPort = url.substring(hostStart, end);
        String host;
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            host = close < 0 ? "" : hostAndPort.substring(0, close + 1);
        } else {
            int colon = hostAndPort.lastIndexOf(':');
            host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return null;
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** {@code scheme://host/}, lowercased; {@code null} for a scheme-relative URL or one without a host. */
    public @Nullable String origin() {
        String host = host();
        if (host == null || start < 3 || !url.startsWith("://", start - 3)) {
            return null;
        }
        return url.substring(0, start - 3).toLowerCase(Locale.ROOT) + "://" + host + "/";
    }
}
