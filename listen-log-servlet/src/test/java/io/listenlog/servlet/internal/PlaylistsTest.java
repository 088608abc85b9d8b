package io.listenlog.servlet.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlaylistsTest {

    @Test
    void everyUriOfThisSiteGetsTheTokenAndKeysAndOtherSitesAreLeftAlone() {
        String master = """
                #EXTM3U\r
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="en",URI="audio/en.m3u8"\r
                #EXT-X-SESSION-KEY:METHOD=AES-128,URI="key.bin"\r
                #EXT-X-STREAM-INF:BANDWIDTH=64000,AUDIO="aac"\r
                low.m3u8?quality=low#frag\r
                #EXT-X-STREAM-INF:BANDWIDTH=128000\r
                https://radio.example:8443/hls/3/high.m3u8\r
                #EXT-X-STREAM-INF:BANDWIDTH=256000\r
                https://cdn.example/hls/3/best.m3u8\r
                #EXT-X-STREAM-INF:BANDWIDTH=320000\r
                //radio.example:8443/hls/3/top.m3u8\r
                """;
        String media = """
                #EXTM3U
                #EXT-X-TARGETDURATION:6
                #EXT-X-MAP:URI="init.mp4"
                #EXT-X-KEY:METHOD=AES-128,URI="/keys/1"
                #EXTINF:6.0,
                /hls/3/seg1.m4s
                #EXTINF:6.0,
                seg2.m4s?lt=already
                """;

        assertThat(Playlists.withToken(master, "T", Playlists.targetDuration(master), "radio.example:8443")).isEqualTo("""
                #EXTM3U\r
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="en",URI="audio/en.m3u8?lt=T"\r
                #EXT-X-SESSION-KEY:METHOD=AES-128,URI="key.bin"\r
                #EXT-X-STREAM-INF:BANDWIDTH=64000,AUDIO="aac"\r
                low.m3u8?quality=low&lt=T#frag\r
                #EXT-X-STREAM-INF:BANDWIDTH=128000\r
                https://radio.example:8443/hls/3/high.m3u8?lt=T\r
                #EXT-X-STREAM-INF:BANDWIDTH=256000\r
                https://cdn.example/hls/3/best.m3u8\r
                #EXT-X-STREAM-INF:BANDWIDTH=320000\r
                //radio.example:8443/hls/3/top.m3u8?lt=T\r
                """);
        assertThat(Playlists.withToken(media, "T", Playlists.targetDuration(media), null)).isEqualTo("""
                #EXTM3U
                #EXT-X-TARGETDURATION:6
                #EXT-X-MAP:URI="init.mp4?lt=T&ltd=6"
                #EXT-X-KEY:METHOD=AES-128,URI="/keys/1"
                #EXTINF:6.0,
                /hls/3/seg1.m4s?lt=T&ltd=6
                #EXTINF:6.0,
                seg2.m4s?lt=already
                """);
        assertThat(Playlists.targetDuration(media)).isEqualTo(6);
        assertThat(Playlists.targetDuration(master)).isZero();
    }

    @Test
    void theTokenIsReadFromAndTakenOutOfARawQuery() {
        assertThat(Playlists.token("a=1&lt=abc-_&b=2")).isEqualTo("abc-_");
        assertThat(Playlists.token("alt=x")).isNull();
        assertThat(Playlists.token(null)).isNull();
        assertThat(Playlists.queryWithoutToken("a=1&lt=old&b=2")).isEqualTo("a=1&b=2");
        assertThat(Playlists.queryWithoutToken("lt")).isEmpty();
        assertThat(Playlists.queryWithoutToken("lt=a&ltd=6&x=1")).isEqualTo("x=1");
        assertThat(Playlists.target("lt=a&ltd=6")).isEqualTo(6);
        assertThat(Playlists.target("ltd=61")).isZero();
        assertThat(Playlists.target("ltd=-1")).isZero();
        assertThat(Playlists.target(null)).isZero();
        assertThat(Playlists.isPlaylist("/hls/3/live.M3U8")).isTrue();
        assertThat(Playlists.isPlaylist("/hls/3/seg.ts")).isFalse();
        assertThat(Playlists.isPlaylist("m3u8")).isFalse();
    }
}
