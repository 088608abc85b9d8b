package io.listenlog.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer on a free loopback port: each request goes to the next backend in turn, with the client's address
 * in {@code X-Forwarded-For}, redirects passed back to the client as they are.
 */
final class RoundRobinProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "upgrade", "host", "content-length", "expect", "proxy-connection", "http2-settings");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final Server server = new Server();
    private final int port;

    RoundRobinProxy(List<String> backends) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
                String query = request.getQueryString();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(backend + request.getRequestURI()
                        + (query == null ? "" : "?" + query))).method(request.getMethod(),
                        HttpRequest.BodyPublishers.noBody());
                for (String name : Collections.list(request.getHeaderNames())) {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                        for (String value : Collections.list(request.getHeaders(name))) {
                            forward.header(name, value);
                        }
                    }
                }
                forward.header("X-Forwarded-For", request.getRemoteAddr());
                HttpResponse<InputStream> answer;
                try {
                    answer = CLIENT.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    response.sendError(502);
                    return;
                }
                response.setStatus(answer.statusCode());
                answer.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                        values.forEach(value -> response.addHeader(name, value));
                    }
                });
                try (InputStream body = answer.body()) {
                    body.transferTo(response.getOutputStream());
                }
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
