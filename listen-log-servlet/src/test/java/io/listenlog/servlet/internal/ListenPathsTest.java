package io.listenlog.servlet.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ListenPathsTest {

    @Test
    void readsTheIdAfterThePrefix() {
        assertThat(ListenPaths.sourceId("/listen/1", "/listen/")).isEqualTo(1);
        assertThat(ListenPaths.sourceId("/listen/0042", "/listen/")).isEqualTo(42);
        assertThat(ListenPaths.sourceId("/listen/9223372036854775807", "/listen/")).isEqualTo(Long.MAX_VALUE);
        assertThat(ListenPaths.sourceId("/radio/play/7", "/radio/play/")).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/listen/", "/listen", "/listen/abc", "/listen/-1", "/listen/+1", "/listen/0",
            "/listen/00", "/listen/9223372036854775808", "/listen/99999999999999999999", "/listen/1/x", "/listen/1/",
            "/listen/1.0", "/listen/ 1", "/listen/\u0661", "/other/1", "/listen//1", "/LISTEN/1"})
    void anythingElseIsNoListen(String path) {
        assertThat(ListenPaths.sourceId(path, "/listen/")).isZero();
    }

    @Test
    void aPrefixStartsAndEndsWithASlash() {
        assertThat(ListenPaths.checkPrefix("/", "pathPrefix")).isEqualTo("/");
        assertThat(ListenPaths.checkPrefix("/a/b/", "pathPrefix")).isEqualTo("/a/b/");
        assertThatIllegalArgumentException().isThrownBy(() -> ListenPaths.checkPrefix("/listen", "hlsPrefix"))
                .withMessageContaining("hlsPrefix must start and end with '/'");
        assertThatIllegalArgumentException().isThrownBy(() -> ListenPaths.checkPrefix("listen/", "pathPrefix"));
    }

    @Test
    void aSourcesFolderIsThePrefixAnIdAndANameUnderIt() {
        assertThat(ListenPaths.sourceIdOfFolder("/hls/7/live.m3u8", "/hls/")).isEqualTo(7);
        assertThat(ListenPaths.sourceIdOfFolder("/files/12/shows/monday.mp3", "/files/")).isEqualTo(12);
        assertThat(ListenPaths.sourceIdOfFolder("/hls/7/", "/hls/")).isZero();
        assertThat(ListenPaths.sourceIdOfFolder("/hls/7", "/hls/")).isZero();
        assertThat(ListenPaths.sourceIdOfFolder("/hls/x/live.m3u8", "/hls/")).isZero();
        assertThat(ListenPaths.sourceIdOfFolder("/other/7/live.m3u8", "/hls/")).isZero();
    }
}
