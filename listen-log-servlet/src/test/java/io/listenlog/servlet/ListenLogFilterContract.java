package io.listenlog.servlet;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenStore;
import io.listenlog.core.OverflowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The behaviour every supported container must show; each container runs it through a subclass that says how to
 * start it with the filter registered.
 */
abstract class ListenLogFilterContract {

    static final IpAnonymizer ANONYMIZER = IpAnonymizer.hmacSha256("test-only-secret-0123456789abcdef");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private RecordingStore store;
    private ListenLogger logger;
    private ServletContainer container;
    private long sent;

    /** Starts the container with StationServlet behind the filter, configured with {@code trustedProxies}. */
    abstract ServletContainer start(ListenLogger listenLogger, String... trustedProxies) throws Exception;

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private void run(ListenLogger.Builder loggerBuilder, String... trustedProxies) throws Exception {
        logger = loggerBuilder.build();
        resources.add(logger);
        container = start(logger, trustedProxies);
        resources.add(container);
    }

    private void run(String... trustedProxies) throws Exception {
        store = new RecordingStore();
        run(loggerFor(store), trustedProxies);
    }

    private static ListenLogger.Builder loggerFor(ListenStore store) {
        return ListenLogger.builder().store(store).anonymizer(ANONYMIZER).maxBatchDelay(Duration.ofMillis(5));
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(pathAndQuery, Map.of());
    }

    private HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = request(pathAndQuery);
        headers.forEach(builder::header);
        return send(builder.GET().build());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(container.uri(pathAndQuery)).timeout(WAIT);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        countSent();
        return response;
    }

    private synchronized void countSent() {
        sent++;
    }

    /** Every event, once the filter is done with every request sent and the logger has written what it took. */
    private List<ListenEvent> settledEvents() {
        long expected = sentSoFar();
        await().atMost(WAIT).until(() -> container.handledRequests().count() >= expected);
        assertThat(logger.flush(WAIT)).isTrue();
        return store.events();
    }

    private synchronized long sentSoFar() {
        return sent;
    }

    private static void assertStation(HttpResponse<String> response, long id) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("station " + id + "\n");
    }

    @Test
    void aSuccessfulListenIsLoggedWithHashedAddressUserAgentAndReferrerWithoutQuery() throws Exception {
        run();

        HttpResponse<String> response = get("/listen/3", Map.of(
                "User-Agent", "RadioPlayer/2.1",
                "Referer", "https://radio.example/stations?session=secret#top"));

        assertStation(response, 3);
        assertThat(settledEvents()).singleElement().satisfies(event -> {
            assertThat(event.sourceId()).isEqualTo(3);
            assertThat(event.ipHash()).isEqualTo(ANONYMIZER.anonymize("127.0.0.1")).hasSize(64);
            assertThat(event.userAgent()).isEqualTo("RadioPlayer/2.1");
            assertThat(event.referrer()).isEqualTo("https://radio.example/stations");
        });
    }

    @Test
    void theContainerDecodesThePathAndDropsPathParameters() throws Exception {
        run();

        assertStation(get("/listen/%34"), 4);
        assertStation(get("/listen/5;jsessionid=ABC123"), 5);

        assertThat(settledEvents()).extracting(ListenEvent::sourceId).containsExactlyInAnyOrder(4L, 5L);
    }

    @Test
    void errorsAreNotListens() throws Exception {
        run();

        assertThat(get("/listen/9").statusCode()).isEqualTo(404);
        assertThat(get("/listen/" + StationServlet.BROKEN_ID).statusCode()).isEqualTo(500);

        assertThat(settledEvents()).isEmpty();
    }

    @Test
    void headPostAndPrefetchesAreNotListens() throws Exception {
        run();

        assertThat(send(request("/listen/1").method("HEAD", HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(200);
        assertStation(send(request("/listen/1").POST(HttpRequest.BodyPublishers.ofString("x")).build()), 1);
        assertStation(get("/listen/1", Map.of("Sec-Purpose", "prefetch")), 1);
        assertStation(get("/listen/1", Map.of("Sec-Purpose", "prefetch;prerender")), 1);
        assertStation(get("/listen/1", Map.of("Purpose", "prefetch")), 1);
        assertStation(get("/listen/1", Map.of("X-Moz", "prefetch")), 1);
        assertStation(get("/listen/1", Map.of("X-Purpose", "preview")), 1);

        assertThat(settledEvents()).isEmpty();
    }

    @Test
    void pathsThatAreNotPrefixAndIdPassThroughUntouched() throws Exception {
        run();

        for (String path : List.of("/listen/", "/listen/abc", "/listen/-1", "/listen/0",
                "/listen/99999999999999999999", "/listen/1/x", "/listen", "/other/1", "/")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo("page " + path + "\n");
        }

        assertThat(settledEvents()).isEmpty();
    }

    @Test
    void anAsyncListenIsLoggedOnceWhenItCompletes() throws Exception {
        run();

        assertStation(get("/listen/2?async=ok"), 2);

        await().atMost(WAIT).until(() -> !store.events().isEmpty());
        assertStation(get("/listen/1"), 1);
        assertThat(settledEvents()).extracting(ListenEvent::sourceId).containsExactlyInAnyOrder(2L, 1L);
    }

    @Test
    void asyncErrorsAndTimeoutsAreNotListens() throws Exception {
        run();

        assertThat(get("/listen/9?async=ok").statusCode()).isEqualTo(404);
        assertThat(get("/listen/2?async=timeout").statusCode()).isEqualTo(500);
        // An async listen behind them: once it is logged, their completions have been handled too.
        assertStation(get("/listen/3?async=ok"), 3);

        await().atMost(WAIT).until(() -> !store.events().isEmpty());
        assertThat(settledEvents()).extracting(ListenEvent::sourceId).containsExactly(3L);
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnoredWithOneWarningThatNamesNoAddress() throws Exception {
        run();

        String log = capturingStandardError(() -> {
            for (int i = 0; i < 3; i++) {
                assertStation(get("/listen/1", Map.of("X-Forwarded-For", "198.51.100.77")), 1);
                assertStation(get("/listen/1", Map.of("Forwarded", "for=198.51.100.77")), 1);
            }
            settledEvents();
        });

        assertThat(settledEvents()).hasSize(6).allSatisfy(event ->
                assertThat(event.ipHash()).isEqualTo(ANONYMIZER.anonymize("127.0.0.1")));
        assertThat(log.split("trustedProxies", -1)).as(log).hasSize(2);
        assertThat(log).doesNotContain("198.51.100.77").doesNotContain("127.0.0.1");
    }

    @Test
    void aChainThroughTrustedProxiesYieldsTheClient() throws Exception {
        run("127.0.0.0/8", "10.0.0.0/8");

        assertStation(get("/listen/1", Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.0.0.2")), 1);

        assertThat(settledEvents()).singleElement().extracting(ListenEvent::ipHash)
                .isEqualTo(ANONYMIZER.anonymize("203.0.113.9"));
    }

    @Test
    void rfc7239ForwardedFromATrustedProxyYieldsTheClient() throws Exception {
        run("127.0.0.0/8", "10.0.0.0/8");

        assertStation(get("/listen/1", Map.of("Forwarded",
                "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.2")), 1);

        assertThat(settledEvents()).singleElement().extracting(ListenEvent::ipHash)
                .isEqualTo(ANONYMIZER.anonymize("2001:db8:cafe::17"));
    }

    @Test
    void anIpv6ClientBehindATrustedProxy() throws Exception {
        run("127.0.0.1");

        assertStation(get("/listen/1", Map.of("X-Forwarded-For", "2001:db8::1")), 1);

        assertThat(settledEvents()).singleElement().extracting(ListenEvent::ipHash)
                .isEqualTo(ANONYMIZER.anonymize("2001:0db8:0:0:0:0:0:1"));
    }

    @Test
    void anIpv6ClientConnectingDirectly() throws Exception {
        run();
        HttpRequest overIpv6 = HttpRequest.newBuilder(URI.create("http://[::1]:" + container.port() + "/listen/2"))
                .timeout(WAIT).build();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(overIpv6, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            abort("no IPv6 loopback on this machine: " + e);
            return;
        }
        countSent();

        assertStation(response, 2);
        assertThat(settledEvents()).singleElement().extracting(ListenEvent::ipHash)
                .isEqualTo(ANONYMIZER.anonymize("::1"));
    }

    @Test
    void longHeadersAreCutAndOversizedOnesNeverReachTheFilter() throws Exception {
        run();

        assertStation(get("/listen/1", Map.of("User-Agent", "a".repeat(4000), "Referer",
                "https://radio.example/" + "p".repeat(3000))), 1);
        // Rejected by the container before any filter runs, so not counted as sent.
        HttpResponse<String> oversized = CLIENT.send(request("/listen/2").header("User-Agent", "b".repeat(64 * 1024))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(oversized.statusCode()).isBetween(400, 499);
        assertStation(get("/listen/3"), 3);

        assertThat(settledEvents()).satisfiesExactlyInAnyOrder(
                event -> {
                    assertThat(event.sourceId()).isEqualTo(1);
                    assertThat(event.userAgent()).hasSize(512);
                    assertThat(event.referrer()).hasSize(1024);
                },
                event -> assertThat(event.sourceId()).isEqualTo(3));
    }

    @Test
    void controlCharactersInHeadersAreNotStored() throws Exception {
        run();

        // HttpClient refuses control characters, so these go over a raw socket. HTAB and C1 (obs-text) are legal
        // in a field value and reach the filter; C0 controls such as BEL are refused by the container itself.
        String accepted = raw("GET /listen/1 HTTP/1.1\r\nHost: localhost\r\n"
                + "User-Agent: Radio\tPlayer\u0085/1.0\r\n"
                + "Referer: https://radio.example/\u009bx\r\n"
                + "Connection: close\r\n\r\n");
        countSent();
        String refused = raw("GET /listen/2 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: Radio\u0007Player\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(accepted).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nstation 1\n");
        assertThat(refused).startsWith("HTTP/1.1 400");
        assertThat(settledEvents()).singleElement().satisfies(event -> {
            assertThat(event.sourceId()).isEqualTo(1);
            assertThat(event.userAgent()).isEqualTo("RadioPlayer/1.0");
            assertThat(event.referrer()).isEqualTo("https://radio.example/x");
        });
    }

    /** Sends {@code request} as ISO-8859-1 bytes and reads the whole response. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aFailingStoreLeavesTheResponsesAlone() throws Exception {
        run(ListenLogger.builder()
                .store(batch -> {
                    throw new IllegalStateException("database down");
                })
                .anonymizer(ANONYMIZER)
                .maxBatchDelay(Duration.ofMillis(5))
                .shutdownTimeout(Duration.ofMillis(50)));

        for (int i = 0; i < 5; i++) {
            assertStation(get("/listen/2", Map.of("User-Agent", "RadioPlayer")), 2);
            assertThat(get("/listen/9").statusCode()).isEqualTo(404);
            assertThat(get("/listen/2?async=ok").body()).isEqualTo("station 2\n");
        }
        await().atMost(WAIT).until(() -> logger.metrics().retries() > 0);
    }

    @Test
    void aFullQueueLeavesTheResponsesAlone() throws Exception {
        CountDownLatch storeBlocked = new CountDownLatch(1);
        RecordingStore recording = new RecordingStore();
        store = recording;
        run(ListenLogger.builder()
                .store(batch -> {
                    try {
                        storeBlocked.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    recording.write(batch);
                })
                .anonymizer(ANONYMIZER)
                .queueCapacity(1)
                .batchSize(1)
                .maxBatchDelay(Duration.ofMillis(1))
                .overflowPolicy(OverflowPolicy.DROP));

        for (int i = 0; i < 20; i++) {
            assertStation(get("/listen/4"), 4);
        }
        storeBlocked.countDown();

        List<ListenEvent> events = settledEvents();
        ListenLogMetrics metrics = logger.metrics();
        assertThat(metrics.dropped()).isPositive();
        assertThat(metrics.accepted() + metrics.dropped()).isEqualTo(20);
        assertThat(events).hasSize((int) metrics.written());
    }

    @Test
    void aClosedLoggerLeavesTheResponsesAlone() throws Exception {
        run();
        logger.close();

        assertStation(get("/listen/1"), 1);

        assertThat(settledEvents()).isEmpty();
        assertThat(logger.metrics().dropped()).isEqualTo(1);
    }

    @Test
    void aThousandConcurrentListensGiveExactlyAThousandEvents() throws Exception {
        run();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                long id = i % 5 + 1;
                responses.add(clients.submit(() -> get("/listen/" + id + (id == 5 ? "?async=ok" : ""))));
            }
            for (Future<HttpResponse<String>> response : responses) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
        } finally {
            clients.shutdown();
        }

        await().atMost(WAIT).until(() -> store.events().size() >= 1000);
        Map<Long, Long> perSource = settledEvents().stream()
                .collect(Collectors.groupingBy(ListenEvent::sourceId, Collectors.counting()));
        assertThat(perSource).containsOnlyKeys(1L, 2L, 3L, 4L, 5L).allSatisfy((id, count) ->
                assertThat(count).as("source %d", id).isEqualTo(200));
    }

    /** What slf4j-simple printed while {@code action} ran (it looks System.err up at every write). */
    private static String capturingStandardError(ThrowingRunnable action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

}
