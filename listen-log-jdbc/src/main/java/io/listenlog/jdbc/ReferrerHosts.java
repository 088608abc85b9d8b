package io.listenlog.jdbc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host part of a referrer URL, read leniently: {@link java.net.URI} refuses the non-ASCII hosts and paths that
 * stored referrers may have.
 */
final class ReferrerHosts {

    private static final Pattern AUTHORITY = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)");
    private static final Pattern PORT = Pattern.compile(":[0-9]*$");

    private ReferrerHosts() {
    }

    /** The lowercased host of {@code referrer}, or {@code null} when it has none, e.g. when it is not a URL. */
    static String hostOf(String referrer) {
        Matcher url = AUTHORITY.matcher(referrer);
        if (!url.find()) {
            return null;
        }
        String host = url.group(1);
        host = host.substring(host.lastIndexOf('@') + 1);
        host = PORT.matcher(host).replaceFirst("");
        if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return null;
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
