package io.listenlog.servlet.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TrustedProxiesTest {

    @Test
    void matchesIpv4Blocks() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8", "192.168.1.0/26", "203.0.113.7");

        assertThat(proxies.contains("10.255.1.2")).isTrue();
        assertThat(proxies.contains("11.0.0.1")).isFalse();
        assertThat(proxies.contains("192.168.1.63")).isTrue();
        assertThat(proxies.contains("192.168.1.64")).isFalse();
        assertThat(proxies.contains("203.0.113.7")).isTrue();
        assertThat(proxies.contains("203.0.113.8")).isFalse();
    }

    @Test
    void matchesIpv6BlocksInAnyTextualForm() {
        TrustedProxies proxies = TrustedProxies.parse("2001:db8::/32", "::1");

        assertThat(proxies.contains("2001:0db8:ffff::1")).isTrue();
        assertThat(proxies.contains("[2001:db8::5]")).isTrue();
        assertThat(proxies.contains("2001:db9::1")).isFalse();
        assertThat(proxies.contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(proxies.contains("::2")).isFalse();
        assertThat(proxies.contains("127.0.0.1")).isFalse();
    }

    @Test
    void anIpv4MappedAddressMatchesItsIpv4Block() {
        assertThat(TrustedProxies.parse("127.0.0.0/8").contains("::ffff:127.0.0.1")).isTrue();
        assertThat(TrustedProxies.parse("::ffff:10.0.0.0/104").contains("10.1.2.3")).isTrue();
        assertThat(TrustedProxies.parse("::ffff:10.0.0.0/104").contains("11.1.2.3")).isFalse();
    }

    @Test
    void zeroPrefixTrustsEveryAddressOfItsFamily() {
        TrustedProxies proxies = TrustedProxies.parse("0.0.0.0/0");

        assertThat(proxies.contains("198.51.100.1")).isTrue();
        assertThat(proxies.contains("2001:db8::1")).isFalse();
    }

    @Test
    void nonAddressesAreNeverTrusted() {
        TrustedProxies proxies = TrustedProxies.parse("0.0.0.0/0");

        assertThat(proxies.contains(null)).isFalse();
        assertThat(proxies.contains("unknown")).isFalse();
        assertThat(proxies.contains("localhost")).isFalse();
        assertThat(TrustedProxies.none().contains("127.0.0.1")).isFalse();
    }

    @Test
    void parsesACommaSeparatedInitParam() {
        TrustedProxies proxies = TrustedProxies.parseList(" 10.0.0.0/8 , ::1 ");

        assertThat(proxies.contains("10.0.0.1")).isTrue();
        assertThat(proxies.contains("::1")).isTrue();
        assertThat(TrustedProxies.parseList("  ").isEmpty()).isTrue();
        assertThat(TrustedProxies.parseList(null).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "localhost", "proxy.example.com", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1",
            "10.0.0.0/x", "10.0.0.0/8/8", "10.0.0.1/8", "256.0.0.0/8", "2001:db8::/129", "2001:db8::1/32",
            "::ffff:10.0.0.0/95"})
    void rejectsWhatIsNotABlock(String cidr) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TrustedProxies.parse(cidr))
                .withMessageStartingWith("invalid trusted proxy '" + cidr + "': ")
                .withMessageContaining("10.0.0.0/8");
    }

    @Test
    void anEmptyEntryInAListIsAnError() {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.parseList("10.0.0.0/8,,::1"));
    }
}
