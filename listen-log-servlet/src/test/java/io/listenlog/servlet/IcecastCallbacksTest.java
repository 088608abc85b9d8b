package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import io.listenlog.testsupport.MutableClock;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link IcecastListenerServlet} in real Jetty and Tomcat, called as Icecast 2.4.4 calls it (its form, its URL-encoded
 * mount with the listener's query), with the logger's clock moved by the test instead of waiting.
 */
class IcecastCallbacksTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Filter PASS_THROUGH = (request, response, chain) -> chain.doFilter(request, response);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
            .clock(clock).maxListenDuration(Duration.ofHours(1)).maxBatchDelay(Duration.ofMillis(5))
            .closeOnShutdown(false).build();
    private final IcecastListenerServlet callbacks = IcecastListenerServlet.builder(logger).mount("/radio1", 1).build();
    private EmbeddedHost host;

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        logger.close();
    }

    private String start(EmbeddedHost.Kind kind) throws Exception {
        host = kind.start(PASS_THROUGH, Map.of("/icecast", callbacks));
        return host.base() + "/icecast";
    }

    /** A callback as icecast2 2.4.4 posts it; {@code mount} is the URI the listener asked for, URL-encoded. */
    private static HttpResponse<String> post(String url, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String add(int client, String mount) {
        return "action=listener_add&server=127.0.0.1&port=8000&client=" + client + "&mount=" + mount
                + "&user=&pass=&ip=192.0.2.7&agent=VLC%2F3.0.20";
    }

    private static String remove(int client, String mount, long duration) {
        return "action=listener_remove&server=127.0.0.1&port=8000&client=" + client + "&mount=" + mount
                + "&user=&pass=&duration=" + duration;
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aListenerWhoseUriHasAQueryIsAdmittedAndCountedOnItsMount(EmbeddedHost.Kind kind) throws Exception {
        String url = start(kind);
        String mount = "%2fradio1%3fnocache%3d123%26type%3d%2emp3";  // /radio1?nocache=123&type=.mp3

        HttpResponse<String> added = post(url, add(1, mount));
        assertThat(added.headers().firstValue(IcecastListenerServlet.AUTH_HEADER)).hasValue("1");
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofSeconds(40));
        post(url, remove(1, mount, 40));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            logger.flush(Duration.ofSeconds(1));
            assertThat(store.events()).extracting(ListenEvent::sourceId).containsExactly(1L);
            assertThat(store.duration(store.events().get(0).listenId())).isEqualTo(40);
        });
        assertThat(callbacks.unmatchedRemovals()).isZero();
        assertThat(callbacks.cutDurations()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aDurationLongerThanTheTimeSinceTheAdditionIsCutToIt(EmbeddedHost.Kind kind) throws Exception {
        String url = start(kind);
        post(url, add(2, "%2fradio1"));
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofSeconds(1));
        post(url, remove(2, "%2fradio1", 999_999_999));

        long allowed = 1 + IcecastListenerServlet.DURATION_SLACK.getSeconds();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            logger.flush(Duration.ofSeconds(1));
            assertThat(store.events()).hasSize(1);
            assertThat(store.duration(store.events().get(0).listenId())).isEqualTo((int) allowed);
        });
        assertThat(callbacks.cutDurations()).isOne();
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void listenersNeverRemovedAreForgottenAfterTheMaxListenDurationAndCounted(EmbeddedHost.Kind kind)
            throws Exception {
        String url = start(kind);
        for (int client = 1; client <= 10_000; client++) {
            post(url, add(client, "%2fradio1"));
        }
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        post(url, add(10_001, "%2fradio1"));
        assertThat(callbacks.forgottenListeners()).isEqualTo(10_000);

        post(url, remove(7, "%2fradio1", 3_601));
        assertThat(callbacks.unmatchedRemovals()).isOne();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            logger.flush(Duration.ofSeconds(1));
            assertThat(store.events()).hasSize(10_001);  // every play stays counted
        });
    }

    @ParameterizedTest
    @EnumSource(EmbeddedHost.Kind.class)
    void aCallbackTheContainerCannotParseGetsOur400(EmbeddedHost.Kind kind) throws Exception {
        start(kind);
        RawHttp.Answer broken = RawHttp.send(host.base(), "POST /icecast?x=%zz HTTP/1.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded", add(3, "%2fradio1").getBytes(StandardCharsets.US_ASCII));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body()).startsWith("listen-log could not read this callback").doesNotContain("Exception");
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).isEmpty();
    }
}
