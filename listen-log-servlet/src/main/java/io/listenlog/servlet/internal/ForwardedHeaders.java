package io.listenlog.servlet.internal;

import io.listenlog.core.internal.InetAddresses;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the client address in {@code X-Forwarded-For} and RFC 7239 {@code Forwarded}, the way Tomcat's RemoteIpValve
 * does: hops are read right to left, trusted proxies are skipped, and the first untrusted hop is the client.
 */
public final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    /**
     * The client behind a trusted peer.
     *
     * @param xForwardedFor every {@code X-Forwarded-For} value in arrival order, each a comma-separated list
     * @param forwarded     every {@code Forwarded} value in arrival order; used only when there is no
     *                      {@code X-Forwarded-For}, since most proxies append to that one and pass the other through
     * @param peer          the address of the (trusted) peer, the answer when neither header names a hop
     * @return an IP literal without brackets or port, or {@code null} when the client hop is {@code unknown}, an
     *         obfuscated identifier or otherwise not an IP address
     */
    public static @Nullable String clientAddress(List<String> xForwardedFor, List<String> forwarded, String peer,
                                       TrustedProxies trusted) {
        List<String> hops = xForwardedForHops(xForwardedFor);
        if (hops.isEmpty()) {
            hops = forwardedForHops(forwarded);
        }
        if (hops.isEmpty()) {
            return peer;
        }
        String address = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            address = nodeAddress(hops.get(i));
            if (address == null || !trusted.contains(address)) {
                return address;
            }
        }
        // Every hop is a trusted proxy: the left-most is as close to the client as we can get.
        return address;
    }

    static List<String> xForwardedForHops(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        return hops;
    }

    /**
     * The {@code for} parameter of each element, unquoted; an empty string for an element without one. Quotes are
     * paired from the right, where the trusted proxies' elements are: a quote that a client opens in its own element
     * and never closes then spoils only that element, instead of swallowing the ones its proxies append (which would
     * leave the proxy's own address as the client's).
     */
    static List<String> forwardedForHops(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String element : splitOutsideQuotes(value, ',')) {
                String forNode = "";
                boolean elementEmpty = true;
                for (String pair : splitOutsideQuotes(element, ';')) {
                    String p = pair.strip();
                    if (!p.isEmpty()) {
                        elementEmpty = false;
                        String forValue = forValue(p);
                        if (forValue != null) {
                            forNode = forValue;
                        }
                    }
                }
                if (!elementEmpty) {
                    hops.add(forNode);
                }
            }
        }
        return hops;
    }

    /** {@code value} split at every {@code separator} outside a quoted string, pairing quotes from the right. */
    private static List<String> splitOutsideQuotes(String value, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int end = value.length();
        for (int i = value.length() - 1; i >= 0; i--) {
            char c = value.charAt(i);
            if (c == '"' && !(quoted && escaped(value, i))) {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(0, value.substring(i + 1, end));
                end = i;
            }
        }
        parts.add(0, value.substring(0, end));
        return parts;
    }

    /** Whether the character at {@code i} follows an odd number of backslashes. */
    private static boolean escaped(String s, int i) {
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static @Nullable String forValue(String pair) {
        int eq = pair.indexOf('=');
        if (eq < 0 || !pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
            return null;
        }
        return unquote(pair.substring(eq + 1).strip());
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * The IP literal of a hop such as {@code 192.0.2.7}, {@code 192.0.2.7:4711}, {@code [2001:db8::1]:4711} or
     * {@code 2001:db8::1}; {@code null} for {@code unknown}, {@code _hidden} and anything else.
     */
    static @Nullable String nodeAddress(String hop) {
        String s = hop.strip();
        String address;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
                return null;
            }
            address = s.substring(1, close);
        } else {
            int colon = s.indexOf(':');
            boolean ipv4WithPort = colon >= 0 && s.indexOf(':', colon + 1) < 0;
            address = ipv4WithPort ? s.substring(0, colon) : s;
        }
        return InetAddresses.parse(address) == null ? null : address;
    }
}
