package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams served through real Jetty and Tomcat behind the filter's stream prefix: a listen lasts as long as its
 * connection, and what the response carries decides between a listen and a probe, whatever the request's Range says.
 */
class StreamTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The shapes of Range a player or a crawler sends: bounded, suffix, multiple, and "bounded" past any end. */
    private static final List<String> RANGES = List.of("bytes=0-1", "bytes=-500", "bytes=0-1,5-10",
            "bytes=0-99999999999999");

    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
            .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
    private EmbeddedHost host;

    @TempDir
    Path files;

    /** A live stream: ignores Range and sends 1 KB every 20 ms until the client goes away. */
    private static final class LiveStream extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("audio/mpeg");
            ServletOutputStream out = response.getOutputStream();
            byte[] chunk = new byte[1024];
            try {
                while (true) {
                    out.write(chunk);
                    out.flush();
                    LockSupport.parkNanos(20_000_000);  // the stream's own pace
                }
            } catch (IOException clientLeft) {
                // the normal end of a stream
            }
        }
    }

    /**
     * Station 4 is live, station 9 answers 404; stations 5 (1 MiB) and 6 (a 20 KB jingle) are files that the
     * container's own default servlet serves, ranges and multipart ranges included.
     */
    private String start(EmbeddedHost.Kind kind) throws Exception {
        Files.createDirectories(files.resolve("stream"));
        byte[] audio = new byte[1024 * 1024];
        new Random(5).nextBytes(audio);
        Files.write(files.resolve("stream/5"), audio);
        Files.write(files.resolve("stream/6"), new byte[20_000]);
        host = kind.start(ListenLogFilter.builder(logger).streamPrefix("/stream/")
                .progressInterval(Duration.ofMillis(500)).tokenKey("test-token-key-0123456789abcdef").build(),
                Map.of("/stream/4", new LiveStream(), "/stream/9", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                        response.sendError(404);
                    }
                }), files);
        return host.base();
    }

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        logger.close();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aStreamIsAListenFromItsFirstByteAndLastsUntilTheClientLeaves(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind);
        long began = System.nanoTime();
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/4"))
                .header("User-Agent", "VLC/3.0.20").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream audio = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                audio.readNBytes(1024);  // the listener keeps listening while we wait
                logger.flush(Duration.ofSeconds(1));
                return store.events().size() == 1;
            });
            ListenEvent listen = store.events().get(0);
            assertThat(listen.sourceId()).isEqualTo(4);
            assertThat(listen.userAgent()).isEqualTo("VLC/3.0.20");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                audio.readNBytes(1024);
                logger.flush(Duration.ofSeconds(1));
                Integer seconds = store.duration(listen.listenId());
                return seconds != null && seconds >= 2;  // reported while it lasts
            });
        }
        long listenedSeconds = Duration.ofNanos(System.nanoTime() - began).getSeconds();
        ListenEvent listen = store.events().get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            logger.flush(Duration.ofSeconds(1));
            return logger.metrics().progress().pending() == 0 && store.duration(listen.listenId()) >= listenedSeconds - 1;
        });
        assertThat(store.duration(listen.listenId())).isBetween((int) listenedSeconds - 1, (int) listenedSeconds + 2);
        assertThat(store.events()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aLiveStreamThatIgnoresRangeIsAListenWhateverTheRangeAsked(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind);
        int expected = 0;
        for (String range : RANGES) {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/4"))
                    .header("Range", range).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream audio = response.body()) {
                assertThat(response.statusCode()).as(range).isEqualTo(200);
                assertThat(audio.readNBytes(4096)).as(range).hasSize(4096);  // it streams, so it is heard
            }
            int listens = ++expected;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                logger.flush(Duration.ofSeconds(1));
                assertThat(store.events()).as(range).hasSize(listens);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aFileAnsweredWithAFewBytesIsAProbeAndOneServedWholeIsAListen(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind);
        for (String range : List.of("bytes=0-1", "bytes=-500", "bytes=0-1,5-10")) {
            HttpResponse<byte[]> probe = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/5"))
                    .header("Range", range).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(probe.statusCode()).as(range).isEqualTo(206);
            assertThat(probe.body().length).as(range).isLessThan(1024);
        }
        HttpResponse<byte[]> jingle = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/6")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(jingle.body()).hasSize(20_000);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).as("206s of a few bytes and a 20 KB response are probes").isEmpty();

        HttpResponse<byte[]> wholeRange = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/5"))
                .header("Range", "bytes=0-99999999999999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wholeRange.statusCode()).isEqualTo(206);
        assertThat(wholeRange.body()).hasSize(1024 * 1024);
        HttpResponse<byte[]> whole = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/5")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            logger.flush(Duration.ofSeconds(1));
            assertThat(store.events()).extracting(ListenEvent::sourceId).containsExactly(5L, 5L);
        });
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void anErrorAndAHeadAreNoListens(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/9")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/5"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).isEmpty();
    }
}
