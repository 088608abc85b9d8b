package io.listenlog.bench;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenStore;
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
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The server side of the filter-overhead measurement ({@code filter-overhead.sh} drives it with wrk): embedded Jetty
 * answering {@code GET /listen/<id>} with a small player page, and {@code POST /post} with 204.
 * <ul>
 *   <li>{@code without-filter}: no filter;</li>
 *   <li>{@code no-op-store}: the filter counting each page view into a logger whose store does nothing, so the
 *   request thread's own cost is what remains;</li>
 *   <li>{@code with-filter}: the same into SQLite, on the same cores;</li>
 *   <li>{@code progress}: the filter (store doing nothing) answering the player's progress reports at
 *   {@code /listen/1/progress}; beside {@code without-filter}'s trivial {@code POST /post}.</li>
 *   <li>{@code hls}: the filter (store doing nothing) with its HLS prefix in front of {@code /hls/1/seg.ts}, a
 *   6,016-byte segment, and its playlist; beside {@code without-filter}'s same servlets.</li>
 *   <li>{@code files}: the filter (store doing nothing) with its download prefix in front of
 *   {@code /files/1/episode.mp3}, 64 KiB a request; beside {@code without-filter}'s same servlet.</li>
 * </ul>
 * It prints {@code token <t>}: a valid listen token of source 1 for the progress reports, and in {@code hls} mode
 * the query of a segment URI of the playlist the filter passed ({@code segment <query>}).
 *
 * <pre>java -cp benchmarks.jar io.listenlog.bench.FilterOverheadServer MODE PORT</pre>
 */
public final class FilterOverheadServer {
    private static final byte[] PAGE = ("<!doctype html><html><head><title>Player</title></head><body>"
            + "<audio controls src=\"https://stream.example/radio.mp3\"></audio></body></html>")
            .getBytes(StandardCharsets.UTF_8);
    static final String TOKEN_KEY = "benchmark-token-key-0123456789abcdef";
    static final int SEGMENT_BYTES = 6_016;
    static final int FILE_BYTES = 64 * 1024;

    private FilterOverheadServer() {
    }

    /** Takes everything and keeps nothing: the logger's pipeline without a database. */
    static final class NoStore implements ListenStore {
        @Override
        public void write(List<ListenEvent> batch) {
        }

        @Override
        public Set<UUID> updateDurations(List<ListenProgress> updates) {
            return Set.of();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].matches("without-filter|no-op-store|with-filter|progress|hls|files")) {
            throw new IllegalArgumentException("usage: (without-filter|no-op-store|with-filter|progress|hls|files) PORT");
        }
        String mode = args[0];
        Server server = new Server(Integer.parseInt(args[1]));

        BenchDatabase db = mode.equals("with-filter") ? BenchDatabase.sqliteTuned() : null;
        ListenLogger logger = ListenLogger.builder()
                .store(db != null ? JdbcListenStore.create(db.dataSource()) : new NoStore())
                .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                .closeOnShutdown(false)  // closed by this app's own shutdown sequence
                .build();
        ListenLogFilter.Builder builder = ListenLogFilter.builder(logger).tokenKey(TOKEN_KEY)
                .countOn(mode.equals("progress") ? ListenLogFilter.CountOn.PLAYBACK : ListenLogFilter.CountOn.PAGE_VIEW);
        if (mode.equals("hls")) {
            builder.hlsPrefix("/hls/");
        } else if (mode.equals("files")) {
            builder.downloadPrefix("/files/");
        }
        ListenLogFilter filter = builder.build();
        server.setHandler(context(mode.equals("without-filter") ? null : filter));
        server.setStopAtShutdown(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            logger.close();
            System.out.printf("%s: %s, beacons %s, hls %s, downloads %s, rows %s%n", mode, logger.metrics(),
                    filter.beaconMetrics(), filter.hlsMetrics(), filter.downloadMetrics(),
                    db == null ? "-" : count(db));
            if (db != null) {
                db.close();
            }
        }));
        server.start();
        if (mode.equals("progress")) {
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/listen/1")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.println("token " + page.body().replaceAll("(?s).*data-listen-token=\"([^\"]+)\".*", "$1"));
        }
        if (mode.equals("hls")) {
            java.net.http.HttpResponse<String> playlist = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build().send(
                    java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/hls/1/live.m3u8")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.println("segment " + playlist.body().replaceAll("(?s).*seg\\.ts\\?([^\\s]+).*", "$1"));
        }
        System.out.println("ready " + mode);
        server.join();
    }

    /** The servlets every mode answers with, behind {@code filter} unless it is {@code null}. */
    static ServletContextHandler context(ListenLogFilter filter) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new PlayerServlet()), "/listen/*");
        context.addServlet(new ServletHolder(new PostServlet()), "/post");
        context.addServlet(new ServletHolder(new BytesServlet("video/mp2t", SEGMENT_BYTES)), "/hls/*");
        context.addServlet(new ServletHolder(new BytesServlet("audio/mpeg", FILE_BYTES)), "/files/*");
        if (filter != null) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        return context;
    }

    private static String count(BenchDatabase db) {
        try {
            return Long.toString(db.countEvents());
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static final class PlayerServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object token = request.getAttribute(ListenLogFilter.LISTEN_TOKEN_ATTRIBUTE);
            byte[] page = token == null ? PAGE : new String(PAGE, StandardCharsets.UTF_8)
                    .replace("<audio ", "<audio data-listen-token=\"" + token + "\" ")
                    .getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/html;charset=utf-8");
            response.setContentLength(page.length);
            response.getOutputStream().write(page);
        }
    }

    /** A playlist of one segment at {@code live.m3u8}; every other name is {@code size} bytes of {@code type}. */
    private static final class BytesServlet extends HttpServlet {
        private final String type;
        private final byte[] body;

        BytesServlet(String type, int size) {
            this.type = type;
            this.body = new byte[size];
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getPathInfo().endsWith(".m3u8")) {
                response.setContentType("application/vnd.apple.mpegurl");
                response.getWriter().write("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg.ts\n");
                return;
            }
            response.setContentType(type);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    private static final class PostServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            request.getParameter("token");  // reads the body, as the progress endpoint does
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
    }
}
