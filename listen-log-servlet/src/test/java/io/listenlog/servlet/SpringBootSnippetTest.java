package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot is not on the test classpath, so this builds the filter exactly as the FilterRegistrationBean in
 * docs/servlet.md does and registers it as Spring Boot would: a plain filter on /listen/*, async supported, for
 * REQUEST dispatches.
 */
class SpringBootSnippetTest {

    @Test
    void theFilterOfTheSpringBootSnippetLogsListens() throws Exception {
        RecordingStore store = new RecordingStore();
        try (ListenLogger listenLogger = ListenLogger.builder().store(store)
                .anonymizer(ListenLogFilterContract.ANONYMIZER).build()) {
            ListenLogFilter filter = ListenLogFilter.builder(listenLogger)
                    .countOn(ListenLogFilter.CountOn.PAGE_VIEW)
                    .trustedProxies("10.0.0.0/8")
                    .build();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(new StationServlet()), "/*");
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/listen/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            server.start();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/listen/5"))
                        .header("X-Forwarded-For", "203.0.113.9")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("station 5\n");

                await().atMost(Duration.ofSeconds(10)).until(() -> !store.events().isEmpty());
                assertThat(listenLogger.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(store.events()).singleElement().satisfies(event -> {
                    assertThat(event.sourceId()).isEqualTo(5);
                    assertThat(event.ipHash()).as("127.0.0.1 is not in 10.0.0.0/8, so X-Forwarded-For is ignored")
                            .isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("127.0.0.1"));
                });
            } finally {
                server.stop();
            }
        }
    }
}
