package io.listenlog.servlet.internal;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import io.listenlog.servlet.RecordingStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A flood of listeners beyond what an instance follows: memory stays at the bound, and every listen still counts. */
class HlsListensBoundTest {

    @Test
    void listensBeyondTheBoundAreLoggedAndReportedAtEachSegmentInsteadOfFollowed() throws Exception {
        RecordingStore store = new RecordingStore();
        ListenTokens tokens = new ListenTokens("hls-bound-test-key-0123456789".getBytes(StandardCharsets.UTF_8));
        ReportThread reports = new ReportThread();
        CaptureFailures failures = new CaptureFailures(LoggerFactory.getLogger(HlsListensBoundTest.class));
        Server server = new Server();
        try (ListenLogger logger = ListenLogger.builder().store(store).maxBatchDelay(Duration.ofMillis(5))
                .anonymizer(IpAnonymizer.hmacSha256("test-only-secret-0123456789abcdef"))
                .closeOnShutdown(false).build()) {
            HlsListens hls = new HlsListens(logger, "/hls/", tokens, Duration.ofHours(1), Duration.ofMinutes(10),
                    new Captures(new ClientAddresses(TrustedProxies.none(), LoggerFactory.getLogger("test")),
                            request -> false, Clock.systemUTC()), failures, reports, 5);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.setContentType("video/mp2t");
                    response.getOutputStream().write(new byte[188]);
                }
            }), "/hls/*");
            Filter filter = (request, response, chain) -> {
                HttpServletRequest httpRequest = (HttpServletRequest) request;
                if (!hls.serve(Captures.pathInContext(httpRequest), httpRequest, (HttpServletResponse) response, chain)) {
                    chain.doFilter(request, response);
                }
            };
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            server.start();
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 20; i++) {
                String token = tokens.issue(UUID.randomUUID(), 3, Clock.systemUTC().instant().minusSeconds(30), null);
                HttpResponse<Void> segment = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + connector.getLocalPort() + "/hls/3/seg1.ts?lt=" + token)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(segment.statusCode()).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                logger.flush(Duration.ofSeconds(1));
                assertThat(hls.segments.sum()).isEqualTo(20);
                assertThat(store.events()).hasSize(20);
            });
            assertThat(hls.active()).isEqualTo(5);
            assertThat(hls.listens.sum()).isEqualTo(5);
            assertThat(hls.untracked.sum()).isEqualTo(15);
            long reportedAtOnce = store.events().stream().map(ListenEvent::listenId).map(store::duration)
                    .filter(seconds -> seconds != null && seconds >= 30 + HlsListens.DEFAULT_TARGET_SECONDS).count();
            assertThat(reportedAtOnce).as("the untracked listens' time went with their segment").isEqualTo(15);
        } finally {
            server.stop();
            reports.stop();
        }
    }
}
