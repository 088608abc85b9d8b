package io.listenlog.servlet;

import com.microsoft.playwright.Page;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HLS live streams behind the filter's HLS prefix, played by real clients: ffmpeg reading the playlist, and hls.js
 * in headless Chromium, on Jetty and Tomcat, alone and as two instances behind a round-robin proxy.
 */
class HlsTest {
    private static final String KEY = "test-token-key-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String HLS_JS = "LISTENLOG_TEST_HLSJS";

    @TempDir
    static Path segments;
    private static boolean ffmpeg;

    private final RecordingStore store = new RecordingStore();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void cutSegments() throws Exception {
        ffmpeg = Files.isExecutable(Path.of("/usr/bin/ffmpeg"));
        if (ffmpeg) {
            LiveHls.madeWithFfmpeg(segments);
        }
    }

    private static void needFfmpeg() {
        Assumptions.assumeTrue(ffmpeg, "/usr/bin/ffmpeg is missing: install the Debian package ffmpeg (.ci/run does)"
                + " to run the HLS tests");
    }

    private ListenLogger logger() {
        ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
                .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
        open.add(logger);
        return logger;
    }

    /** One instance of the station: the filter with its HLS prefix in front of the live stream and a player page. */
    private record Instance(String base, ListenLogFilter filter) {
    }

    private Instance instance(EmbeddedHost.Kind kind) throws Exception {
        ListenLogFilter filter = ListenLogFilter.builder(logger()).hlsPrefix("/hls/").tokenKey(KEY)
                .trustedProxies("127.0.0.1").progressInterval(Duration.ofMillis(300)).build();
        Map<String, HttpServlet> servlets = new HashMap<>();
        servlets.put("/hls/*", LiveHls.madeOf(segments));
        servlets.put("/player/*", new PlayerPage());
        EmbeddedHost host = kind.start(filter, servlets);
        open.add(host);
        return new Instance(host.base(), filter);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ListenEvent theOneListen() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.events()).hasSize(1));
        return store.events().get(0);
    }

    /** Waits until the stored listening time stops growing (every instance reported what it saw), and returns it. */
    private int settledSeconds(ListenEvent listen) {
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Integer now = store.duration(listen.listenId());
            boolean settled = now != null && now == last[0];
            last[0] = now == null ? -1 : now;
            return settled;
        });
        return last[0];
    }

    private static void ffmpegPlays(String playlist, int seconds) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-user_agent", "Lavf/59.27.100", "-re", "-i",
                playlist, "-t", String.valueOf(seconds), "-f", "null", "-")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(seconds + 30, TimeUnit.SECONDS)).as("ffmpeg ends").isTrue();
        assertThat(p.exitValue()).as("ffmpeg played the stream").isZero();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aPlaylistAloneIsNoListenAndGetsItsListenerATokenForEverySegment(EmbeddedHost.Kind kind) throws Exception {
        needFfmpeg();
        Instance station = instance(kind);
        HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(station.base()
                + "/hls/3/live.m3u8?quality=high")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/hls/3/live.m3u8?quality=high&lt=");
        HttpResponse<String> playlist = HTTP.send(HttpRequest.newBuilder(URI.create(station.base() + location))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(playlist.statusCode()).isEqualTo(200);
        String token = location.substring(location.indexOf("lt=") + 3);
        List<String> uris = playlist.body().lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(uris).hasSize(4)
                .allSatisfy(uri -> assertThat(uri).matches("seg\\d{3}\\.ts\\?lt=" + token + "&ltd=2"));
        assertThat(playlist.headers().firstValueAsLong("Content-Length").orElseThrow())
                .isEqualTo(playlist.body().length());

        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(station.base() + "/hls/3/" + uris.get(0)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(station.base() + "/hls/4/" + uris.get(0))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("served, but with another source's token")
                .isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(station.base() + "/hls/3/seg000.ts?lt=forged"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        for (ListenLogger l : loggers()) {
            assertThat(l.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(store.events()).as("a playlist, a HEAD and segments without a valid token are no listen").isEmpty();
        ListenLogFilter.HlsMetrics metrics = station.filter().hlsMetrics();
        assertThat(metrics.playlists()).isEqualTo(1);
        assertThat(metrics.segments()).isZero();
        assertThat(metrics.unattributed()).isEqualTo(2);
        assertThat(metrics.active()).isZero();
    }

    private List<ListenLogger> loggers() {
        return open.stream().filter(ListenLogger.class::isInstance).map(ListenLogger.class::cast).toList();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void ffmpegPlayingTheStreamIsOneListenAsLongAsItPlayed(EmbeddedHost.Kind kind) throws Exception {
        needFfmpeg();
        Instance station = instance(kind);
        ffmpegPlays(station.base() + "/hls/3/live.m3u8", 8);

        ListenEvent listen = theOneListen();
        assertThat(listen.sourceId()).isEqualTo(3);
        assertThat(listen.userAgent()).isEqualTo("Lavf/59.27.100");
        assertThat(settledSeconds(listen)).isBetween(8, 8 + LiveHls.SEGMENT_SECONDS);
        assertThat(station.filter().hlsMetrics().listens()).isEqualTo(1);
    }

    @Test
    void ffmpegThroughALoadBalancerOverJettyAndTomcatIsStillOneListenWithItsWholeDuration() throws Exception {
        needFfmpeg();
        Instance jetty = instance(EmbeddedHost.Kind.JETTY);
        Instance tomcat = instance(EmbeddedHost.Kind.TOMCAT);
        RoundRobinProxy proxy = new RoundRobinProxy(List.of(jetty.base(), tomcat.base()));
        open.add(proxy);
        ffmpegPlays(proxy.base() + "/hls/3/live.m3u8", 8);

        ListenEvent listen = theOneListen();
        assertThat(settledSeconds(listen)).isBetween(8, 8 + LiveHls.SEGMENT_SECONDS);
        assertThat(jetty.filter().hlsMetrics().segments()).isPositive();
        assertThat(tomcat.filter().hlsMetrics().segments()).isPositive();
        assertThat(listen.ipHash()).as("the client's address came through the proxy")
                .isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("127.0.0.1"));
    }

    @Test
    void hlsJsInChromiumThroughALoadBalancerIsOneListenAsLongAsItPlayed() throws Exception {
        needFfmpeg();
        String hlsJs = System.getenv(HLS_JS);
        Assumptions.assumeTrue(hlsJs != null && Files.isReadable(Path.of(hlsJs)), HLS_JS + " is unset: point it at"
                + " hls.min.js of the npm package hls.js (.ci/run does) to run the hls.js test");
        PlayerPage.script = Files.readString(Path.of(hlsJs));
        Instance jetty = instance(EmbeddedHost.Kind.JETTY);
        Instance tomcat = instance(EmbeddedHost.Kind.TOMCAT);
        RoundRobinProxy proxy = new RoundRobinProxy(List.of(jetty.base(), tomcat.base()));
        open.add(proxy);

        double played;
        try (HeadlessChromium chromium = HeadlessChromium.launch("the hls.js test")) {
            Page page = chromium.newPage();
            page.navigate(proxy.base() + "/player/3");
            page.waitForFunction("window.played() >= 8 || window.fatal", null,
                    new Page.WaitForFunctionOptions().setTimeout(40_000));
            assertThat(page.evaluate("window.fatal")).as("hls.js played without a fatal error").isNull();
            played = ((Number) page.evaluate("window.played()")).doubleValue();
            page.close();
        }
        ListenEvent listen = theOneListen();
        assertThat(listen.userAgent()).contains("Chrome");
        assertThat(listen.referrer()).isEqualTo(proxy.base() + "/player/3");
        assertThat((double) settledSeconds(listen)).isBetween(played - 1, played + LiveHls.SEGMENT_SECONDS + 1);
        assertThat(jetty.filter().hlsMetrics().segments()).isPositive();
        assertThat(tomcat.filter().hlsMetrics().segments()).isPositive();
    }

    /** A page that plays {@code /hls/<id>/live.m3u8} with hls.js, and the script at {@code /player/hls.js}. */
    private static final class PlayerPage extends HttpServlet {
        static volatile String script = "";

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String id = request.getPathInfo().substring(1);
            if (id.equals("hls.js")) {
                response.setContentType("text/javascript;charset=UTF-8");
                response.getWriter().write(script);
                return;
            }
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write("""
                    <!doctype html><audio id="player" muted></audio><script src="/player/hls.js"></script>
                    <script>
                    const audio = document.getElementById('player');
                    const hls = new Hls();
                    hls.on(Hls.Events.ERROR, (event, data) => { if (data.fatal) window.fatal = data.details; });
                    hls.on(Hls.Events.MANIFEST_PARSED, () => audio.play());
                    hls.loadSource('/hls/%s/live.m3u8');
                    hls.attachMedia(audio);
                    window.played = () => {
                      let seconds = 0;
                      for (let i = 0; i < audio.played.length; i++) seconds += audio.played.end(i) - audio.played.start(i);
                      return seconds;
                    };
                    </script>""".formatted(id));
        }
    }
}
