package io.listenlog.core.internal;

import java.util.Locale;

/** A referrer cut to its origin, {@code https://example.com/}, for the CNIL preset. */
final class ReferrerOrigin {
    private ReferrerOrigin() {
    }

    /**
     * {@code scheme://host/}, lowercased, without credentials, port, path, query or fragment; {@code null} when the
     * referrer has no {@code scheme://host}. International host names are kept as written.
     */
    static String of(String referrer) {
        if (referrer == null) {
            return null;
        }
        int schemeEnd = referrer.indexOf("://");
        if (schemeEnd <= 0 || !referrer.substring(0, schemeEnd).chars().allMatch(
                c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            return null;
        }
        int start = schemeEnd + 3;
        int end = start;
        while (end < referrer.length() && "/?#".indexOf(referrer.charAt(end)) < 0) {
            end++;
        }
        String authority = referrer.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? "" : authority.substring(0, close + 1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
        }
        if (host.isEmpty()) {
            return null;
        }
        return referrer.substring(0, schemeEnd).toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT) + "/";
    }
}
