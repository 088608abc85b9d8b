package io.listenlog.servlet.internal;

import io.listenlog.core.internal.InetAddresses;

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
    public static String clientAddress(List<String> xForwardedFor, List<String> forwarded, String peer,
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

    /** The {@code for} parameter of each element, unquoted; an empty string for an element without one. */
    static List<String> forwardedForHops(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            String forNode = "";
            boolean elementEmpty = true;
            StringBuilder pair = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i <= value.length(); i++) {
                char c = i < value.length() ? value.charAt(i) : ',';
                if (quoted) {
                    pair.append(c);
                    if (c == '\\' && i + 1 < value.length()) {
                        pair.append(value.charAt(++i));
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == ';' || c == ',') {
                    String p = pair.toString().strip();
                    if (!p.isEmpty()) {
                        elementEmpty = false;
                        String forValue = forValue(p);
                        if (forValue != null) {
                            forNode = forValue;
                        }
                    }
                    pair.setLength(0);
                    if (c == ',') {
                        if (!elementEmpty) {
                            hops.add(forNode);
                        }
                        forNode = "";
                        elementEmpty = true;
                    }
                } else {
                    pair.append(c);
                    quoted = c == '"';
                }
            }
        }
        return hops;
    }

    private static String forValue(String pair) {
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
    static String nodeAddress(String hop) {
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
