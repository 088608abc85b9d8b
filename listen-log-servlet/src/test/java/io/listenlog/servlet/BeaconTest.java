package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The player page's token and the filter's progress endpoint, in real Jetty, with the default counting: a page view
 * is no play until its player reports playing.
 */
class BeaconTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "test-token-key-0123456789abcdef";

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

    /** Jetty with a player page that prints its listen token, behind {@code filter}. */
    private String start(ListenLogFilter filter) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write(String.valueOf(request.getAttribute(ListenLogFilter.LISTEN_TOKEN_ATTRIBUTE)));
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) {
                hostPosts.incrementAndGet();
            }
        }), "/*");
        FilterHolder holder = new FilterHolder(filter);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        resources.add(server::stop);
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int beacon(String url, String token, String seconds, boolean first) throws Exception {
        String body = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&seconds=" + seconds
                + (first ? "&first=1" : "");
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                        "application/x-www-form-urlencoded").header("User-Agent", "VLC/3.0.20")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aPageViewIsAPlayOnlyOnceItsPlayerReportsPlayingAndEveryReportExtendsIt() throws Exception {
        ListenLogFilter filter = ListenLogFilter.builder(logger).tokenKey(KEY).build();
        String base = start(filter);

        String token = get(base + "/listen/3").body();
        assertThat(token).isNotBlank().doesNotContain("null");
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).as("a page nobody played").isEmpty();

        assertThat(beacon(base + "/listen/3/progress", token, "4", true)).isEqualTo(204);
        assertThat(beacon(base + "/listen/3/progress", token, "9", false)).isEqualTo(204);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(store.events()).singleElement().satisfies(event -> {
            assertThat(event.sourceId()).isEqualTo(3);
            assertThat(event.userAgent()).isEqualTo("VLC/3.0.20");
            assertThat(event.ipHash()).isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("127.0.0.1"));
        });
        ListenEvent play = store.events().get(0);
        assertThat(store.duration(play.listenId())).isEqualTo(9);
        assertThat(filter.beaconMetrics()).isEqualTo(new ListenLogFilter.BeaconMetrics(2, 0, 0, 0, 0));
        assertThat(hostPosts).as("the host's servlets never see a report").hasValue(0);
    }

    @Test
    void forgedForeignMalformedAndImplausibleReportsAreRefusedCountedAndChangeNothing() throws Exception {
        ListenLogFilter filter = ListenLogFilter.builder(logger).tokenKey(KEY).build();
        String base = start(filter);
        String token = get(base + "/listen/3").body();
        String forged = (token.charAt(5) == 'A' ? 'B' : 'A') + "";
        forged = token.substring(0, 5) + forged + token.substring(6);

        assertThat(beacon(base + "/listen/3/progress", forged, "4", true)).isEqualTo(403);
        assertThat(beacon(base + "/listen/3/progress", "not-a-token", "4", true)).isEqualTo(403);
        assertThat(beacon(base + "/listen/2/progress", token, "4", true)).isEqualTo(403);
        assertThat(beacon(base + "/listen/3/progress", token, "four", true)).isEqualTo(400);
        assertThat(beacon(base + "/listen/3/progress", token, "-4", true)).isEqualTo(400);
        assertThat(beacon(base + "/listen/3/progress", token, "3600", true)).as("more than since the start")
                .isEqualTo(400);

        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).isEmpty();
        assertThat(filter.beaconMetrics()).isEqualTo(new ListenLogFilter.BeaconMetrics(0, 2, 1, 0, 3));
        assertThat(hostPosts).hasValue(0);
    }

    @Test
    void anotherInstanceWithTheSameKeyAcceptsTheTokenAndAnExpiredOneIsGone() throws Exception {
        String first = start(ListenLogFilter.builder(logger).tokenKey(KEY).build());
        ListenLogFilter other = ListenLogFilter.builder(logger).tokenKey(KEY).maxListenDuration(Duration.ofSeconds(1))
                .build();
        String second = start(other);
        String token = get(first + "/listen/5").body();

        assertThat(beacon(second + "/listen/5/progress", token, "0", false)).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> beacon(second + "/listen/5/progress", token, "1", true) == 410);
        assertThat(other.beaconMetrics().expired()).isPositive();
        assertThat(beacon(start(ListenLogFilter.builder(logger).tokenKey(KEY + "-other").build())
                + "/listen/5/progress", token, "1", true)).as("another deployment's key").isEqualTo(403);
    }

    @Test
    void thePlayerScriptIsServedFromTheJar() throws Exception {
        String base = start(ListenLogFilter.builder(logger).tokenKey(KEY).build());
        HttpResponse<String> script = get(base + ListenLogFilter.SCRIPT_PATH);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(script.body()).contains("navigator.sendBeacon", "data-listen-token");
    }
}
