package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Streams served through Jetty behind the filter's stream prefix: a listen lasts as long as its connection. */
class StreamTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
            .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
    private Server server;
    private String base;

    /** Sends 1 KB every 20 ms until the client goes away; 404 for station 9. */
    private static final class EndlessStream extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getPathInfo().equals("/9")) {
                response.sendError(404);
                return;
            }
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

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new EndlessStream()), "/stream/*");
        context.addFilter(new FilterHolder(ListenLogFilter.builder(logger).streamPrefix("/stream/")
                .progressInterval(Duration.ofMillis(500)).tokenKey("test-token-key-0123456789abcdef").build()),
                "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        logger.close();
    }

    @Test
    void aStreamIsAListenFromItsFirstByteAndLastsUntilTheClientLeaves() throws Exception {
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

    @Test
    void aProbeOfAFewBytesAnErrorAndAHeadAreNoListens() throws Exception {
        HttpResponse<InputStream> probe = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/4"))
                .header("Range", "bytes=0-1").build(), HttpResponse.BodyHandlers.ofInputStream());
        probe.body().readNBytes(2);
        probe.body().close();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/stream/9")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);

        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).isEmpty();
    }
}
