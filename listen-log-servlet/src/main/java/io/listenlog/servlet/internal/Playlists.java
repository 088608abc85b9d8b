package io.listenlog.servlet.internal;

import org.jspecify.annotations.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HLS playlists (RFC 8216) as the filter changes them: every URI of this site in a playlist (segments, variant and
 * rendition playlists, {@code EXT-X-MAP} init sections, parts and preload hints) gets the listen token as the query
 * parameter {@value #TOKEN_PARAMETER}, so that whichever instance a request reaches knows whose listen it is. URIs
 * of other sites and keys ({@code EXT-X-KEY}, {@code EXT-X-SESSION-KEY}) are left alone.
 */
public final class Playlists {
    /** The query parameter that carries the listen token on playlist and segment URIs. */
    public static final String TOKEN_PARAMETER = "lt";
    /**
     * The query parameter that carries a media playlist's {@code EXT-X-TARGETDURATION} on its URIs, so that an
     * instance that never passed the playlist knows how long the segment lasts.
     */
    public static final String TARGET_PARAMETER = "ltd";
    /** The longest target duration believed from a URI. */
    public static final int MAX_TARGET_SECONDS = 60;

    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
    private static final Pattern TARGET_DURATION = Pattern.compile("^#EXT-X-TARGETDURATION:\\s*(\\d{1,6})",
            Pattern.MULTILINE);

    private Playlists() {
    }

    /** Whether the path names a playlist ({@code .m3u8}); anything else under the HLS prefix is a segment. */
    public static boolean isPlaylist(String path) {
        return path.regionMatches(true, path.length() - 5, ".m3u8", 0, 5);
    }

    /**
     * The playlist with {@code token}, and its {@code target} duration ({@link #targetDuration}) when positive, on
     * every URI of this site ({@code host} is the request's {@code Host}).
     */
    public static String withToken(String playlist, String token, int target, @Nullable String host) {
        String parameters = TOKEN_PARAMETER + "=" + token + (target > 0 && target <= MAX_TARGET_SECONDS
                ? "&" + TARGET_PARAMETER + "=" + target : "");
        StringBuilder out = new StringBuilder(playlist.length() + 256);
        int start = 0;
        while (start < playlist.length()) {
            int end = playlist.indexOf('\n', start);
            int next = end < 0 ? playlist.length() : end + 1;
            int lineEnd = end < 0 ? playlist.length() : end;
            if (lineEnd > start && playlist.charAt(lineEnd - 1) == '\r') {
                lineEnd--;
            }
            String line = playlist.substring(start, lineEnd);
            out.append(rewriteLine(line, parameters, host)).append(playlist, lineEnd, next);
            start = next;
        }
        return out.toString();
    }

    private static String rewriteLine(String line, String parameters, @Nullable String host) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return line;
        }
        if (trimmed.startsWith("#")) {
            if (!trimmed.startsWith("#EXT") || trimmed.startsWith("#EXT-X-KEY")
                    || trimmed.startsWith("#EXT-X-SESSION-KEY")) {
                return line;
            }
            Matcher m = URI_ATTRIBUTE.matcher(line);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String uri = withTokenOnUri(m.group(1), parameters, host);
                m.appendReplacement(b, Matcher.quoteReplacement("URI=\"" + uri + "\""));
            }
            m.appendTail(b);
            return b.toString();
        }
        return withTokenOnUri(trimmed, parameters, host);
    }

    private static String withTokenOnUri(String uri, String parameters, @Nullable String host) {
        if (!isOfThisSite(uri, host) || hasParameter(uri, TOKEN_PARAMETER)) {
            return uri;
        }
        int fragment = uri.indexOf('#');
        String body = fragment < 0 ? uri : uri.substring(0, fragment);
        String tail = fragment < 0 ? "" : uri.substring(fragment);
        return body + (body.indexOf('?') < 0 ? '?' : '&') + parameters + tail;
    }

    /** Relative URIs, and absolute ones whose authority is the request's host. */
    private static boolean isOfThisSite(String uri, @Nullable String host) {
        if (uri.startsWith("//")) {
            return host != null && uri.regionMatches(true, 2, host, 0, host.length())
                    && authorityEnds(uri, 2 + host.length());
        }
        int colon = uri.indexOf(':');
        int slash = uri.indexOf('/');
        boolean hasScheme = colon > 0 && (slash < 0 || colon < slash);
        if (!hasScheme) {
            return true;
        }
        int authority = uri.indexOf("://");
        return host != null && authority == colon && uri.regionMatches(true, 0, "http", 0, 4)
                && uri.regionMatches(true, authority + 3, host, 0, host.length())
                && authorityEnds(uri, authority + 3 + host.length());
    }

    private static boolean authorityEnds(String uri, int at) {
        return at == uri.length() || "/?#".indexOf(uri.charAt(at)) >= 0;
    }

    private static boolean hasParameter(String uri, String name) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String pair : uri.substring(query + 1).split("[&#]")) {
            if (pair.equals(name) || pair.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    /** The playlist's {@code EXT-X-TARGETDURATION} in seconds, or 0 when it has none (a master playlist). */
    public static int targetDuration(String playlist) {
        Matcher m = TARGET_DURATION.matcher(playlist);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * The value of the query parameter {@value #TOKEN_PARAMETER} in a raw query string, or {@code null}. Tokens are
     * base64url, so they need no decoding.
     */
    public static @Nullable String token(@Nullable String query) {
        return parameter(query, TOKEN_PARAMETER);
    }

    /** The target duration {@value #TARGET_PARAMETER} in a raw query, 1..{@value #MAX_TARGET_SECONDS}, else 0. */
    public static int target(@Nullable String query) {
        int at = valueAt(query, TARGET_PARAMETER);
        if (query == null || at < 0) {
            return 0;
        }
        int seconds = 0;
        int end = valueEnd(query, at);
        if (end == at || end - at > 2) {
            return 0;
        }
        for (int i = at; i < end; i++) {
            char c = query.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            seconds = seconds * 10 + (c - '0');
        }
        return seconds <= MAX_TARGET_SECONDS ? seconds : 0;
    }

    /* Scanned by hand rather than split: every segment request of every listener asks for both parameters. */
    private static @Nullable String parameter(@Nullable String query, String name) {
        int at = valueAt(query, name);
        return query == null || at < 0 ? null : query.substring(at, valueEnd(query, at));
    }

    /** Where the value of the first {@code name=} pair of the query starts, or -1. */
    private static int valueAt(@Nullable String query, String name) {
        if (query == null) {
            return -1;
        }
        int n = name.length();
        for (int pair = 0; pair < query.length(); pair = valueEnd(query, pair) + 1) {
            if (query.startsWith(name, pair) && pair + n < query.length() && query.charAt(pair + n) == '=') {
                return pair + n + 1;
            }
        }
        return -1;
    }

    private static int valueEnd(String query, int from) {
        int amp = query.indexOf('&', from);
        return amp < 0 ? query.length() : amp;
    }

    private static boolean isOurs(String pair, String name) {
        return pair.equals(name) || pair.startsWith(name + "=");
    }

    /** The raw query without the token and target parameters, or {@code ""}. */
    public static String queryWithoutToken(@Nullable String query) {
        if (query == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty() && !isOurs(pair, TOKEN_PARAMETER) && !isOurs(pair, TARGET_PARAMETER)) {
                kept.append(kept.length() == 0 ? "" : "&").append(pair);
            }
        }
        return kept.toString();
    }
}
