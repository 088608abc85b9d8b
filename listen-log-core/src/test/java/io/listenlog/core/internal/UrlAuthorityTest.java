package io.listenlog.core.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class UrlAuthorityTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "https://User:secret@Radio.Example:8443/p?q#f | https://Radio.Example:8443/p?q#f | radio.example | https://radio.example/",
            "//user@cdn.example/x                        | //cdn.example/x                  | cdn.example   | -",
            "http://[2001:DB8::1]:8080/                   | http://[2001:DB8::1]:8080/       | [2001:db8::1] | http://[2001:db8::1]/",
            "https://ラジオ.example/番組                   | https://ラジオ.example/番組        | ラジオ.example | https://ラジオ.example/",
            "https:///nohost                              | https:///nohost                  | -             | -",
            "https://a b.example/                         | https://a b.example/             | -             | -"})
    void oneParserForCleaningHostsAndOrigins(String url, String withoutUserInfo, String host, String origin) {
        UrlAuthority authority = UrlAuthority.of(url);
        assertThat(authority.withoutUserInfo()).isEqualTo(withoutUserInfo);
        assertThat(authority.host()).isEqualTo(host);
        assertThat(authority.origin()).isEqualTo(origin);
    }

    @ParameterizedTest
    @CsvSource({"not a url", "mailto:someone@example.com", "1http://example.com/", "/relative/path"})
    void withoutSchemeAndAuthorityThereIsNone(String url) {
        assertThat(UrlAuthority.of(url)).isNull();
    }
}
