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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On-demand files under the filter's download prefix, served by Jetty's and Tomcat's own default servlets (ranges
 * and all), fetched by real clients (curl, wget, Chromium's audio element) and by a replay of the IAB Podcast
 * Measurement certification cases in ranges.
 */
class DownloadTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A minute of the test episode: 64 kbit/s, as its first MP3 frame says. */
    private static final int MINUTE = 64_000 / 8 * 60;
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36";

    @TempDir
    static Path files;
    private static boolean ffmpeg;
    private static long episodeBytes;

    private final RecordingStore store = new RecordingStore();
    private final List<AutoCloseable> open = new ArrayList<>();
    private ListenLogFilter filter;

    /** Three minutes of tone as a 64 kbit/s MP3 with an ID3v2 tag (ffmpeg writes one), and a 20 s jingle. */
    @BeforeAll
    static void encodeEpisodes() throws Exception {
        ffmpeg = Files.isExecutable(Path.of("/usr/bin/ffmpeg"));
        if (ffmpeg) {
            Files.createDirectories(files.resolve("files/3"));
            encode(180, files.resolve("files/3/episode-1.mp3"));
            encode(20, files.resolve("files/3/jingle.mp3"));
            episodeBytes = Files.size(files.resolve("files/3/episode-1.mp3"));
        }
    }

    private static void encode(int seconds, Path to) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration="
                + seconds, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", to.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("ffmpeg encoded " + to).isTrue();
    }

    private String start(EmbeddedHost.Kind kind) throws Exception {
        Assumptions.assumeTrue(ffmpeg, "/usr/bin/ffmpeg is missing: install the Debian package ffmpeg (.ci/run does)"
                + " to run the download tests");
        ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
                .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
        open.add(logger);
        filter = ListenLogFilter.builder(logger).downloadPrefix("/files/").tokenKey("test-token-key-0123456789abcdef")
                .trustedProxies("127.0.0.1").build();
        EmbeddedHost host = kind.start(filter, Map.of("/page/*", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/html;charset=UTF-8");
                response.getWriter().write("<!doctype html><audio id=\"player\" src=\"/files/3/episode-1.mp3\""
                        + " muted></audio>");
            }
        }), files);
        open.add(host);
        return host.base();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private List<ListenEvent> downloads(int expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.events()).hasSize(expected));
        return store.events();
    }

    private void noDownloadYet() throws Exception {
        for (AutoCloseable c : open) {
            if (c instanceof ListenLogger l) {
                assertThat(l.flush(Duration.ofSeconds(5))).isTrue();
            }
        }
        assertThat(store.events()).isEmpty();
    }

    private static HttpResponse<byte[]> get(String url, String userAgent, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("User-Agent", userAgent);
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void theIabCasesInRanges(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind);
        String episode = base + "/files/3/episode-1.mp3";
        assertThat(get(episode, BROWSER, "bytes=0-1").statusCode()).as("a 2-byte probe").isEqualTo(206);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(episode)).header("User-Agent", BROWSER)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).as("a HEAD").isEqualTo(200);
        int chunk = 50_000;
        int chunks = MINUTE / chunk + 1;  // ten ranges of 50 KB: a minute only with the tenth
        for (int i = 0; i < chunks - 1; i++) {
            HttpResponse<byte[]> part = get(episode, BROWSER, "bytes=" + i * chunk + "-" + ((i + 1) * chunk - 1));
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).hasSize(chunk);
        }
        noDownloadYet();
        get(episode, BROWSER, "bytes=" + (chunks - 1) * chunk + "-" + (chunks * chunk - 1));
        ListenEvent download = downloads(1).get(0);
        assertThat(download.sourceId()).isEqualTo(3);
        assertThat(download.extra()).isEqualTo(Map.of(ListenLogFilter.DOWNLOAD_EXTRA_KEY, "episode-1.mp3"));
        assertThat(download.durationSeconds()).as("a file fetched is not a file heard").isNull();
        assertThat(download.userAgent()).isEqualTo(BROWSER);

        assertThat(get(episode, BROWSER, null).body()).as("a second fetch the same day").hasSize((int) episodeBytes);
        get(episode, "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)", null);
        List<ListenEvent> both = downloads(2);
        assertThat(both.get(1).extra()).isEqualTo(Map.of("download", "episode-1.mp3"));
        assertThat(get(base + "/files/3/jingle.mp3", BROWSER, null).body()).as("20 s of audio, whole").hasSizeLessThan(
                MINUTE);
        ListenLogFilter.DownloadMetrics metrics = filter.downloadMetrics();
        assertThat(metrics.downloads()).isEqualTo(2);
        assertThat(metrics.requests()).isEqualTo(chunks + 4);  // the probe served 2 bytes; the HEAD none
        assertThat(metrics.tracked()).isEqualTo(3);
        assertThat(store.events()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void curlAndWgetFetchingAnEpisodeAreADownloadEachAndAJingleIsNone(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind);
        run("curl", "-s", "-o", "/dev/null", "-A", "curl/7.88.1", base + "/files/3/episode-1.mp3");
        run("wget", "-q", "-O", "/dev/null", "-U", "Wget/1.21.3", base + "/files/3/episode-1.mp3");
        run("curl", "-s", "-o", "/dev/null", "-A", "curl/7.88.1", base + "/files/3/jingle.mp3");
        assertThat(downloads(2)).extracting(ListenEvent::userAgent).containsExactlyInAnyOrder("curl/7.88.1",
                "Wget/1.21.3");
        assertThat(filter.downloadMetrics().requests()).isEqualTo(3);
        assertThat(filter.downloadMetrics().downloads()).isEqualTo(2);
    }

    private static void run(String... command) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin", command[0])), "/usr/bin/" + command[0]
                + " is missing: install the Debian package " + command[0] + " to run this download test");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", command)).isTrue();
    }

    @Test
    void fetchesOfOneListenerReachingTwoInstancesAreOneDownload() throws Exception {
        String jetty = start(EmbeddedHost.Kind.JETTY);
        ListenLogFilter jettyFilter = filter;
        String tomcat = start(EmbeddedHost.Kind.TOMCAT);
        RoundRobinProxy proxy = new RoundRobinProxy(List.of(jetty, tomcat));
        open.add(proxy);
        for (int i = 0; i < 4; i++) {
            assertThat(get(proxy.base() + "/files/3/episode-1.mp3", BROWSER, null).body()).hasSize((int) episodeBytes);
        }
        assertThat(downloads(1).get(0).ipHash()).isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("127.0.0.1"));
        assertThat(jettyFilter.downloadMetrics().downloads()).isEqualTo(1);
        assertThat(filter.downloadMetrics().downloads()).as("Tomcat logged it too; it is stored once").isEqualTo(1);
        noMoreThan(1);
    }

    private void noMoreThan(int downloads) throws Exception {
        for (AutoCloseable c : open) {
            if (c instanceof ListenLogger l) {
                assertThat(l.flush(Duration.ofSeconds(5))).isTrue();
            }
        }
        assertThat(store.events()).hasSize(downloads);
    }

    @Test
    void chromiumsAudioElementReadingTheEpisodeByRangesIsOneDownload() throws Exception {
        String base = start(EmbeddedHost.Kind.JETTY);
        try (HeadlessChromium chromium = HeadlessChromium.launch("the audio element's download test")) {
            Page page = chromium.newPage();
            page.navigate(base + "/page/1");
            page.evaluate("document.getElementById('player').play()");
            page.waitForFunction("document.getElementById('player').currentTime >= 2", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(store.events()).hasSize(1));
            page.close();
        }
        ListenEvent download = store.events().get(0);
        assertThat(download.userAgent()).contains("Chrome");
        assertThat(download.referrer()).isEqualTo(base + "/page/1");
        assertThat(download.extra()).isEqualTo(Map.of("download", "episode-1.mp3"));
    }
}
