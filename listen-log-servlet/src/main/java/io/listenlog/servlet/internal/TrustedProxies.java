package io.listenlog.servlet.internal;

import io.listenlog.core.internal.InetAddresses;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/** The address ranges of reverse proxies whose forwarding headers are believed. Immutable. */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) and single addresses ({@code 192.0.2.7},
     * {@code ::1}). Host names are rejected, never resolved.
     *
     * @throws IllegalArgumentException naming the first entry that is not a valid block
     */
    public static TrustedProxies parse(String... cidrs) {
        List<Block> blocks = new ArrayList<>(cidrs.length);
        for (String cidr : cidrs) {
            blocks.add(Block.parse(cidr));
        }
        return blocks.isEmpty() ? NONE : new TrustedProxies(blocks);
    }

    /** Like {@link #parse(String...)} for one comma-separated list, as in an init-param; blank means none. */
    public static TrustedProxies parseList(@Nullable String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return NONE;
        }
        return parse(commaSeparated.split(",", -1));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether the IP literal {@code address} (as {@link InetAddresses#parse} reads it) lies in a trusted block. */
    public boolean contains(String address) {
        if (blocks.isEmpty()) {
            return false;
        }
        byte[] bytes = InetAddresses.parse(address);
        if (bytes == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefixLength) {

        static Block parse(String text) {
            if (text == null || text.isBlank()) {
                throw invalid(text, "it is empty");
            }
            String s = text.strip();
            int slash = s.indexOf('/');
            String addressPart = slash < 0 ? s : s.substring(0, slash);
            byte[] network = InetAddresses.parse(addressPart);
            if (network == null) {
                throw invalid(text, "'" + addressPart + "' is not an IPv4 or IPv6 address (host names are not "
                        + "accepted)");
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                prefix = prefixLength(text, s.substring(slash + 1));
                // An IPv4-mapped IPv6 block such as ::ffff:10.0.0.0/104 is stored as IPv4, so its prefix counts
                // from the 96 bits of the mapping.
                if (network.length == 4 && addressPart.indexOf(':') >= 0) {
                    if (prefix < 96) {
                        throw invalid(text, "an IPv4-mapped block needs a prefix of at least 96");
                    }
                    prefix -= 96;
                }
                if (prefix > bits) {
                    throw invalid(text, "the prefix length must be at most " + bits);
                }
            }
            if (!hostBitsZero(network, prefix)) {
                throw invalid(text, "the address has bits set beyond the /" + prefix + " prefix");
            }
            return new Block(network, prefix);
        }

        private static int prefixLength(String text, String digits) {
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(text, "the prefix length '" + digits + "' is not a number");
            }
            return Integer.parseInt(digits);
        }

        private static boolean hostBitsZero(byte[] address, int prefix) {
            for (int bit = prefix; bit < address.length * 8; bit++) {
                if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                    return false;
                }
            }
            return true;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }

        private static IllegalArgumentException invalid(String text, String why) {
            return new IllegalArgumentException("invalid trusted proxy '" + text + "': " + why
                    + "; expected an IP address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32");
        }
    }
}
