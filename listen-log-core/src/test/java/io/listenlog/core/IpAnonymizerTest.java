package io.listenlog.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAnonymizerTest {
    private static final String SECRET = "9f86d081884c7d659a2feaa0c55ad015";
    private final IpAnonymizer anonymizer = IpAnonymizer.hmacSha256(SECRET);

    @Test
    void isAKeyedHmacOfTheAddressBytes() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(new byte[] {(byte) 192, 0, 2, 1}));

        assertThat(anonymizer.anonymize("192.0.2.1")).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void differentKeysGiveUnlinkableHashes() {
        IpAnonymizer other = IpAnonymizer.hmacSha256("another-secret-of-enough-length");
        assertThat(other.anonymize("192.0.2.1")).isNotEqualTo(anonymizer.anonymize("192.0.2.1"));
        assertThat(anonymizer.anonymize("192.0.2.2")).isNotEqualTo(anonymizer.anonymize("192.0.2.1"));
    }

    @Test
    void oneAddressGivesOneHashWhateverItsSpelling() {
        String v4 = anonymizer.anonymize("192.0.2.1");
        assertThat(anonymizer.anonymize(" 192.0.2.1 ")).isEqualTo(v4);
        assertThat(anonymizer.anonymize("::ffff:192.0.2.1")).isEqualTo(v4);
        assertThat(anonymizer.anonymize("::FFFF:c000:0201")).isEqualTo(v4);
        assertThat(anonymizer.anonymize("[::ffff:192.0.2.1]")).isEqualTo(v4);

        String v6 = anonymizer.anonymize("2001:db8::1");
        assertThat(v6).isNotNull().isNotEqualTo(v4);
        assertThat(anonymizer.anonymize("2001:0DB8:0000:0000:0000:0000:0000:0001")).isEqualTo(v6);
        assertThat(anonymizer.anonymize("[2001:db8::1]")).isEqualTo(v6);
        assertThat(anonymizer.anonymize("2001:db8::1%eth0")).isEqualTo(v6);
        assertThat(anonymizer.anonymize("fe80::1%25")).isEqualTo(anonymizer.anonymize("fe80::1"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "example.com", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4",
            "1..2.3", "1.2.3.4:80", "::g", "2001:db8::1::2", "unknown", "_hidden", "1.2.3.1234",
            "12345:db8::1", "[]", "%eth0"})
    void unparseableInputGivesNullNeverTheInput(String input) {
        assertThat(anonymizer.anonymize(input)).isNull();
    }

    @Test
    void networkPrecisionTruncatesBeforeHashing() {
        IpAnonymizer coarse = IpAnonymizer.hmacSha256(SECRET, IpPrecision.NETWORK);
        assertThat(coarse.anonymize("192.0.2.1")).isEqualTo(coarse.anonymize("192.0.2.254"))
                .isEqualTo(anonymizer.anonymize("192.0.2.0"));
        assertThat(coarse.anonymize("192.0.3.1")).isNotEqualTo(coarse.anonymize("192.0.2.1"));
        assertThat(coarse.anonymize("2001:db8:1:2:aaaa::1")).isEqualTo(coarse.anonymize("2001:db8:1:2:bbbb::9"))
                .isEqualTo(anonymizer.anonymize("2001:db8:1:2::"));
        assertThat(coarse.anonymize("2001:db8:1:3::1")).isNotEqualTo(coarse.anonymize("2001:db8:1:2::1"));
        assertThat(coarse.anonymize("::ffff:192.0.2.9")).isEqualTo(coarse.anonymize("192.0.2.1"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "change-me", "CHANGE-ME", "too-short-15chr"})
    void weakSecretsAreRefusedWithAHint(String secret) {
        assertThatThrownBy(() -> IpAnonymizer.hmacSha256(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LISTEN_LOG_SALT")
                .hasMessageContaining("openssl rand -hex 32");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | fewer than 10 distinct characters",
            "abababababababababababab1212 | fewer than 10 distinct characters",
            "changeme-0123456789abcdefXYZ | change-me",
            "please-change_me-9f8e7d6c5b4a | change-me",
            "Password123!-and-some-more-text | default or example",
            "secret-key-for-the-radio-site | default or example",
            "${LISTEN_LOG_SALT_FROM_VAULT} | placeholder",
            "<your-32-byte-random-key-here> | placeholder",
            "%LISTEN_LOG_SALT_VALUE_HERE% | placeholder",
            "{{ listen_log_salt_value }} | placeholder",
            "your-key-here-0123456789abcdef | default or example",
            "'$(openssl rand -hex 32)' | shell command",
            "$(openssl rand -hex 32) | shell command",
            "`openssl rand -hex 32` | shell command",
            "prefix-${SALT}-9f86d081884c7d65 | placeholder",
            "$LISTEN_LOG_SALT | placeholder",
            "abcdefghijklmnop | sequence",
            "1234567890123456 | sequence",
            "0123456789abcdef0123456789abcdef | sequence",
            "zyxwvutsrqponmlkjih | sequence"})
    void lowVarietyDefaultAndPlaceholderKeysAreRefusedWithTheReason(String secret, String reason) {
        assertThatThrownBy(() -> IpAnonymizer.hmacSha256(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("openssl rand -hex 32")
                .extracting(e -> e.getMessage().replace("`openssl rand -hex 32`", ""))
                .as("the message never carries the key itself").asString().doesNotContain(secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {" 9f86d081884c7d659a2feaa0c55ad015", "9f86d081884c7d659a2feaa0c55ad015\n",
            "9f86d081884c7d659a2feaa0c55ad015\t"})
    void surroundingWhitespaceIsRefusedNeverSilentlyPartOfTheKey(String secret) {
        assertThatThrownBy(() -> IpAnonymizer.hmacSha256(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whitespace");
    }

    @Test
    void sixteenCharactersAreEnough() {
        assertThat(IpAnonymizer.hmacSha256("exactly-16-chars").anonymize("192.0.2.1")).hasSize(64);
    }

    @Test
    void fromEnvironmentUsesListenLogSalt() {
        // The build sets LISTEN_LOG_SALT for the tests (see this module's pom).
        String salt = System.getenv(IpAnonymizer.SALT_VARIABLE);
        assertThat(salt).as("LISTEN_LOG_SALT set by surefire").isNotBlank();
        assertThat(IpAnonymizer.fromEnvironment().anonymize("192.0.2.1"))
                .isEqualTo(IpAnonymizer.hmacSha256(salt).anonymize("192.0.2.1"));
        assertThat(IpAnonymizer.fromEnvironment(IpPrecision.NETWORK).anonymize("192.0.2.1"))
                .isEqualTo(IpAnonymizer.hmacSha256(salt, IpPrecision.NETWORK).anonymize("192.0.2.77"));
    }

    @Test
    void isThreadSafe() throws Exception {
        String expected = anonymizer.anonymize("192.0.2.1");
        var results = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    results.add(anonymizer.anonymize("192.0.2.1"));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).containsExactly(expected);
    }
}
