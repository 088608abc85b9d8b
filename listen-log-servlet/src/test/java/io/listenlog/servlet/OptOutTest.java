package io.listenlog.servlet;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The opt-out hook, in real Jetty: the host's control decides, and an opted-out request is served but never logged. */
class OptOutTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store)
            .anonymizer(IpAnonymizer.hmacSha256("test-only-secret-0123456789abcdef"))
            .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
    private JettyContainer container;

    @AfterEach
    void stop() throws Exception {
        if (container != null) {
            container.close();
        }
        logger.close();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(container.uri(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOptedOutListenerIsServedAndNotLogged() throws Exception {
        container = JettyContainer.start(ListenLogFilter.builder(logger).countOn(ListenLogFilter.CountOn.PAGE_VIEW)
                .optOut(request -> request.getCookies() != null && Arrays.stream(request.getCookies())
                        .anyMatch(c -> c.getName().equals("no-stats") && c.getValue().equals("1")))
                .build());

        assertThat(get("/listen/1", "no-stats=1").body()).isEqualTo("station 1\n");
        assertThat(get("/listen/2", "no-stats=0").body()).isEqualTo("station 2\n");
        assertThat(get("/listen/3", null).body()).isEqualTo("station 3\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> container.handledRequests().count() >= 3);
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(store.events()).extracting(e -> e.sourceId()).containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void anOptOutCheckThatFailsCountsAsAnOptOut() throws Exception {
        container = JettyContainer.start(ListenLogFilter.builder(logger)
                .optOut(request -> {
                    throw new IllegalStateException("the host's preference service is down");
                })
                .build());

        assertThat(get("/listen/1", null).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> container.handledRequests().count() >= 1);
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(store.events()).isEmpty();
    }
}
