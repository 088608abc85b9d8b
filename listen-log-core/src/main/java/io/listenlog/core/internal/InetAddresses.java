package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP literals without ever resolving a host name. */
public final class InetAddresses {

    private static final int MAX_IPV6_LITERAL = 45;

    private InetAddresses() {
    }

    /**
     * The address bytes of an IPv4 or IPv6 literal: 4 bytes for IPv4 and for IPv4-mapped IPv6, 16 for other IPv6.
     * Surrounding brackets and an IPv6 zone id are ignored. {@code null} for {@code null}, empty or anything that is
     * not a literal (host names included).
     */
    public static byte @Nullable [] parse(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        return parseIpv4(s);
    }

    private static byte @Nullable [] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return null;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            } else if (c == '.') {
                if (value < 0 || value > 255 || part == 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        if (part != 3 || value < 0 || value > 255) {
            return null;
        }
        out[3] = (byte) value;
        return out;
    }

    private static byte @Nullable [] parseIpv6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.isEmpty() || s.length() > MAX_IPV6_LITERAL) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!allowed) {
                return null;
            }
        }
        try {
            // Only hex digits, colons and dots reach here, so the JDK parses a literal and never does a lookup.
            InetAddress address = InetAddress.getByName(s);
            byte[] bytes = address.getAddress();
            return address instanceof Inet4Address || bytes.length == 16 ? bytes : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The network of a textual address ({@code 203.0.113.7} gives {@code 203.0.113.0}, IPv6 keeps its /64), or
     * {@code null} for {@code null} or an address that does not parse (the anonymizer then stores no hash).
     */
    public static @Nullable String network(@Nullable String text) {
        byte[] address = text == null ? null : parse(text);
        if (address == null) {
            return null;
        }
        truncateToNetwork(address);
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Zeroes the host part: IPv4 keeps its /24, IPv6 its /64. */
    public static void truncateToNetwork(byte[] address) {
        int keep = address.length == 4 ? 3 : 8;
        for (int i = keep; i < address.length; i++) {
            address[i] = 0;
        }
    }
}
