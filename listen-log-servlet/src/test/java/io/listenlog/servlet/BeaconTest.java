package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The player page's token and the filter's progress endpoint, in real Jetty and Tomcat, with the default counting: a
 * page view is no play until its player reports playing. Reports are written as a player built from docs/servlet.md
 * writes them: the token and the seconds, nothing else.
 */
class BeaconTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KEY = "9c41f0a27be38d56e1a4c07f2d95b6e3";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
            .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
    private final AtomicInteger hostPosts = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        logger.close();
    }

    /** A container with a player page that prints its listen token, behind {@code filter}. */
    private String start(EmbeddedHost.Kind kind, ListenLogFilter filter) throws Exception {
        EmbeddedHost host = kind.start(filter, Map.of("/*", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write(String.valueOf(request.getAttribute(ListenLogFilter.LISTEN_TOKEN_ATTRIBUTE)));
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) {
                hostPosts.incrementAndGet();
            }
        }));
        resources.add(host);
        return host.base();
    }

    private static String page(String url, String referrer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (referrer != null) {
            request.header("Referer", referrer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> post(String url, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "VLC/3.0.20")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int report(String url, String token, String seconds) throws Exception {
        return post(url, "application/x-www-form-urlencoded", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&seconds=" + seconds).statusCode();
    }

    private ListenLogFilter playbackFilter() {
        return ListenLogFilter.builder(logger).tokenKey(KEY).build();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aReportOfTheTokenAndTheSecondsAloneStoresThePlayAtThePagesTimeAndExtendsIt(EmbeddedHost.Kind kind)
            throws Exception {
        ListenLogFilter filter = playbackFilter();
        String base = start(kind, filter);

        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String token = page(base + "/listen/3", "https://radio.example/player");
        Instant after = Instant.now();
        assertThat(token).isNotBlank().doesNotContain("null");
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).as("a page nobody played").isEmpty();

        assertThat(report(base + "/listen/3/progress", token, "0")).as("nothing played yet").isEqualTo(204);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).as("zero seconds is no play").isEmpty();

        assertThat(report(base + "/listen/3/progress", token, "4")).isEqualTo(204);
        assertThat(report(base + "/listen/3/progress", token, "9")).isEqualTo(204);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(store.events()).singleElement().satisfies(event -> {
            assertThat(event.sourceId()).isEqualTo(3);
            assertThat(event.userAgent()).isEqualTo("VLC/3.0.20");
            assertThat(event.referrer()).isEqualTo("https://radio.example/player");
            assertThat(event.ipHash()).isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("127.0.0.1"));
            assertThat(event.occurredAt()).as("the page's time, to the millisecond").isBetween(before, after);
            assertThat(event.occurredAt().getNano() % 1_000_000).isZero();
        });
        assertThat(store.duration(store.events().get(0).listenId())).isEqualTo(9);
        assertThat(filter.beaconMetrics()).isEqualTo(new ListenLogFilter.BeaconMetrics(3, 0, 0, 0, 0, 0));
        assertThat(hostPosts).as("the host's servlets never see a report").hasValue(0);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aLostFirstReportStillStoresThePlayWithTheLargestSeconds(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind, playbackFilter());
        String token = page(base + "/listen/4", null);
        // The first of three reports (3 s) never arrives: the tab closed, the network dropped it.
        assertThat(report(base + "/listen/4/progress", token, "6")).isEqualTo(204);
        assertThat(report(base + "/listen/4/progress", token, "9")).isEqualTo(204);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(store.events()).singleElement().satisfies(event -> assertThat(event.sourceId()).isEqualTo(4));
        assertThat(store.duration(store.events().get(0).listenId())).isEqualTo(9);
        assertThat(logger.metrics().progress().unknown()).as("no report went to a listen never stored").isZero();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aReplayedReportCostsOnePlayAndOneUpdate(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind, playbackFilter());
        String token = page(base + "/listen/5", null);
        for (int i = 0; i < 2_000; i++) {
            assertThat(report(base + "/listen/5/progress", token, "6")).isEqualTo(204);
        }
        assertThat(report(base + "/listen/5/progress", token, "5")).as("fewer seconds, out of order").isEqualTo(204);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(logger.metrics().accepted()).as("plays queued").isEqualTo(1);
        assertThat(logger.metrics().progress().accepted()).as("updates queued").isEqualTo(1);
        assertThat(store.events()).hasSize(1);
        assertThat(store.duration(store.events().get(0).listenId())).isEqualTo(6);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void theTokenCarriesTheReferrerCleanedAsTheLoggerCleansIt(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind, playbackFilter());
        String token = page(base + "/listen/6",
                "https://mallory:pw@radio.example/shows/ete?user=alice@example.com&session=s3cr3t#t=10");
        String payload = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        assertThat(payload).contains("https://radio.example/shows/ete")
                .doesNotContain("alice", "session", "s3cr3t", "mallory", "pw@", "#t");

        // A referrer of 2,000 two-byte characters: the header's bytes are ISO-8859-1, as both containers read them.
        String longPath = "https://radio.example/" + "é".repeat(2_000);
        String longToken = RawHttp.send(base, "GET /listen/6 HTTP/1.1\r\nReferer: " + longPath + "?q=1",
                new byte[0]).body();
        assertThat(report(base + "/listen/6/progress", longToken, "2")).isEqualTo(204);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).singleElement().satisfies(event ->
                assertThat(event.referrer()).as("1024 characters, cut between characters")
                        .isEqualTo(longPath.substring(0, 1_024)));
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void reportsTheContainerCouldNotParseGetOurOwnFourHundredsAndAreCounted(EmbeddedHost.Kind kind) throws Exception {
        ListenLogFilter filter = playbackFilter();
        String base = start(kind, filter);
        String token = page(base + "/listen/7", null);
        String form = "token=" + token + "&seconds=1";

        HttpResponse<String> utf16 = post(base + "/listen/7/progress",
                "application/x-www-form-urlencoded; charset=UTF-16", form);
        HttpResponse<String> huge = post(base + "/listen/7/progress", "application/x-www-form-urlencoded",
                form + "&pad=" + "x".repeat(10 * 1024 * 1024));
        RawHttp.Answer brokenQuery = RawHttp.send(base, "POST /listen/7/progress?x=%zz HTTP/1.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded", form.getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> brokenBody = post(base + "/listen/7/progress", "application/x-www-form-urlencoded",
                form + "&x=%e9");
        HttpResponse<String> json = post(base + "/listen/7/progress", "application/json", "{}");
        HttpResponse<String> twice = post(base + "/listen/7/progress", null, form + "&seconds=2");

        assertThat(List.of(utf16.statusCode(), huge.statusCode(), brokenQuery.status(), brokenBody.statusCode(),
                json.statusCode(), twice.statusCode())).containsExactly(415, 413, 400, 400, 415, 400);
        for (HttpResponse<String> response : List.of(utf16, huge, brokenBody, json, twice)) {
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            assertThat(response.body()).doesNotContain("Exception", "ListenLogFilter", "at io.");
        }
        assertThat(brokenQuery.contentType()).startsWith("text/plain");
        assertThat(brokenQuery.body()).doesNotContain("Exception", "ListenLogFilter", "at io.");
        assertThat(filter.beaconMetrics().malformed()).isEqualTo(6);
        assertThat(report(base + "/listen/7/progress", token, "1")).as("the same report, readable").isEqualTo(204);
        assertThat(hostPosts).hasValue(0);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void forgedForeignMalformedAndImplausibleReportsAreRefusedCountedAndChangeNothing(EmbeddedHost.Kind kind)
            throws Exception {
        ListenLogFilter filter = playbackFilter();
        String base = start(kind, filter);
        String token = page(base + "/listen/3", null);
        String forged = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);

        assertThat(report(base + "/listen/3/progress", forged, "4")).isEqualTo(403);
        assertThat(report(base + "/listen/3/progress", "not-a-token", "4")).isEqualTo(403);
        assertThat(report(base + "/listen/2/progress", token, "4")).isEqualTo(403);
        assertThat(report(base + "/listen/3/progress", token, "four")).isEqualTo(400);
        assertThat(report(base + "/listen/3/progress", token, "-4")).isEqualTo(400);
        assertThat(report(base + "/listen/3/progress", token, "3600")).as("more than since the start").isEqualTo(400);

        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).isEmpty();
        assertThat(filter.beaconMetrics()).isEqualTo(new ListenLogFilter.BeaconMetrics(0, 2, 1, 0, 3, 0));
        assertThat(hostPosts).hasValue(0);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void anotherInstanceWithTheSameKeyAcceptsTheTokenAndAnExpiredOneIsGone(EmbeddedHost.Kind kind) throws Exception {
        String first = start(kind, playbackFilter());
        ListenLogFilter other = ListenLogFilter.builder(logger).tokenKey(KEY).maxListenDuration(Duration.ofSeconds(1))
                .build();
        String second = start(kind, other);
        String token = page(first + "/listen/5", null);

        assertThat(report(second + "/listen/5/progress", token, "0")).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> report(second + "/listen/5/progress", token, "1") == 410);
        assertThat(other.beaconMetrics().expired()).isPositive();
        assertThat(report(start(kind, ListenLogFilter.builder(logger).tokenKey("f3e2d1c0b9a8" + KEY).build())
                + "/listen/5/progress", token, "1")).as("another deployment's key").isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void thePlayerScriptIsServedFromTheJarAndSendsTheTokenAndTheSecondsOnly(EmbeddedHost.Kind kind) throws Exception {
        String base = start(kind, playbackFilter());
        HttpResponse<String> script = HTTP.send(HttpRequest.newBuilder(URI.create(base + ListenLogFilter.SCRIPT_PATH))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(script.body()).contains("navigator.sendBeacon", "data-listen-token",
                "new URLSearchParams({ token: token, seconds: String(seconds) })").doesNotContain("first");
    }
}
