package io.listenlog.servlet.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedHeadersTest {

    private static final TrustedProxies LOCAL_AND_PRIVATE = TrustedProxies.parse("127.0.0.0/8", "10.0.0.0/8",
            "2001:db8:ffff::/48");
    private static final String PEER = "127.0.0.1";

    private static String client(List<String> xForwardedFor, List<String> forwarded) {
        return ForwardedHeaders.clientAddress(xForwardedFor, forwarded, PEER, LOCAL_AND_PRIVATE);
    }

    @Test
    void theRightMostUntrustedHopIsTheClient() {
        assertThat(client(List.of("203.0.113.9, 10.0.0.2"), List.of())).isEqualTo("203.0.113.9");
        assertThat(client(List.of("198.51.100.1, 203.0.113.9, 10.0.0.2, 10.0.0.3"), List.of()))
                .as("whatever the client wrote left of the first untrusted hop is ignored")
                .isEqualTo("203.0.113.9");
    }

    @Test
    void everyHeaderValueIsOnePartOfTheList() {
        assertThat(client(List.of("198.51.100.1", "203.0.113.9,10.0.0.2", "10.0.0.3"), List.of()))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostWins() {
        assertThat(client(List.of("10.0.0.1, 10.0.0.2"), List.of())).isEqualTo("10.0.0.1");
    }

    @Test
    void hopsMayCarryPortsAndBrackets() {
        assertThat(client(List.of("203.0.113.9:4711, 10.0.0.2"), List.of())).isEqualTo("203.0.113.9");
        assertThat(client(List.of("[2001:db8::1]:4711"), List.of())).isEqualTo("2001:db8::1");
        assertThat(client(List.of("2001:db8::1, 2001:db8:ffff::2"), List.of())).isEqualTo("2001:db8::1");
    }

    @Test
    void anUntrustedHopThatIsNoAddressLeavesTheClientUnknown() {
        assertThat(client(List.of("203.0.113.9, unknown, 10.0.0.2"), List.of())).isNull();
        assertThat(client(List.of("not an address"), List.of())).isNull();
        assertThat(client(List.of("[2001:db8::1]x"), List.of())).isNull();
    }

    @Test
    void blankHeadersLeaveThePeer() {
        assertThat(client(List.of(" , "), List.of(""))).isEqualTo(PEER);
    }

    @Test
    void readsRfc7239Forwarded() {
        assertThat(client(List.of(), List.of("for=203.0.113.9;proto=https;by=10.0.0.2, for=10.0.0.2")))
                .isEqualTo("203.0.113.9");
        assertThat(client(List.of(), List.of("For=\"[2001:db8:cafe::17]:4711\"", "for=10.0.0.3")))
                .isEqualTo("2001:db8:cafe::17");
        assertThat(client(List.of(), List.of("for=\"203.0.113.9:80\"; host=\"a;b,c\", for=10.0.0.2")))
                .as("separators inside quoted strings")
                .isEqualTo("203.0.113.9");
    }

    @Test
    void forwardedUnknownObfuscatedOrMissingForIsAnUnknownClient() {
        assertThat(client(List.of(), List.of("for=unknown, for=10.0.0.2"))).isNull();
        assertThat(client(List.of(), List.of("for=_hidden, for=10.0.0.2"))).isNull();
        assertThat(client(List.of(), List.of("for=203.0.113.9, proto=https"))).isNull();
    }

    @Test
    void forwardedHopsAreTheForParameterOfEachElement() {
        assertThat(ForwardedHeaders.forwardedForHops(List.of("for=a;by=b, ,proto=http", "FOR=\"c\\\"d\"")))
                .containsExactly("a", "", "c\"d");
    }

    @Test
    void aClientsUnterminatedQuoteCannotSwallowTheElementItsProxyAppends() {
        assertThat(client(List.of(), List.of("for=\"198.51.100.66, for=203.0.113.9")))
                .as("the proxy saw 203.0.113.9; the stray quote is a plain character").isEqualTo("203.0.113.9");
        assertThat(client(List.of(), List.of("for=\"", "for=203.0.113.9")))
                .as("in a header line of its own").isEqualTo("203.0.113.9");
        assertThat(client(List.of(), List.of("for=\"[2001:db8::5, for=203.0.113.9;proto=\"https\", for=10.0.0.2")))
                .isEqualTo("203.0.113.9");
        assertThat(client(List.of(), List.of("for=\"[2001:db8::5, for=\"[2001:db8:cafe::17]:4711\"")))
                .as("a quoted IPv6 element of the proxy").isEqualTo("2001:db8:cafe::17");
        assertThat(client(List.of(), List.of("for=\"")))
                .as("nothing usable is an unknown client, never the proxy's address").isNull();
    }

    @Test
    void xForwardedForWinsOverForwarded() {
        assertThat(client(List.of("203.0.113.9"), List.of("for=198.51.100.1"))).isEqualTo("203.0.113.9");
    }
}
