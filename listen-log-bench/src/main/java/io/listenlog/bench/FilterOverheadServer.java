package io.listenlog.bench;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.servlet.ListenLogFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The server side of the filter-overhead measurement ({@code filter-overhead.sh} drives it with wrk): embedded Jetty
 * answering {@code GET /listen/<id>} with a small player page, with or without {@link ListenLogFilter} in front,
 * the filter logging into SQLite through the default batching logger.
 *
 * <pre>java -cp benchmarks.jar io.listenlog.bench.FilterOverheadServer (with-filter|without-filter) PORT</pre>
 */
public final class FilterOverheadServer {
    private static final byte[] PAGE = ("<!doctype html><html><head><title>Player</title></head><body>"
            + "<audio controls src=\"https://stream.example/radio.mp3\"></audio></body></html>")
            .getBytes(StandardCharsets.UTF_8);

    private FilterOverheadServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].matches("with-filter|without-filter")) {
            throw new IllegalArgumentException("usage: (with-filter|without-filter) PORT");
        }
        boolean withFilter = args[0].equals("with-filter");
        Server server = new Server(Integer.parseInt(args[1]));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new PlayerServlet()), "/listen/*");

        BenchDatabase db = BenchDatabase.sqliteTuned();
        ListenLogger logger = ListenLogger.builder()
                .store(JdbcListenStore.create(db.dataSource()))
                .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                .closeOnShutdown(false)  // closed by this app's own shutdown sequence
                .build();
        if (withFilter) {
            FilterHolder holder = new FilterHolder(ListenLogFilter.builder(logger).build());
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.setStopAtShutdown(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            logger.close();
            try {
                System.out.printf("%s: %s, rows %d%n", args[0], logger.metrics(), db.countEvents());
            } catch (Exception e) {
                e.printStackTrace();
            }
            db.close();
        }));
        server.start();
        System.out.println("ready " + args[0]);
        server.join();
    }

    private static final class PlayerServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html;charset=utf-8");
            response.setContentLength(PAGE.length);
            response.getOutputStream().write(PAGE);
        }
    }
}
