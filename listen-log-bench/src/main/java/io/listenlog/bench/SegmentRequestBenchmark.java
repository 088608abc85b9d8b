package io.listenlog.bench;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.servlet.ListenLogFilter;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HLS segment request and one on-demand file request answered by embedded Jetty in this JVM, through a
 * {@link LocalConnector} (Jetty's own parsing, dispatch and response, no sockets), with the filter ({@code hlsPrefix}
 * and {@code downloadPrefix}, a store that does nothing) and without it: {@code filter=none} is the same servlets with
 * no filter, so the difference in requests/s is the filter's whole cost on the request thread. The segment is that
 * of one listen (its token taken from the playlist the filter passed, the same query in both designs); the file
 * request, 64 KiB, is one listener's download, counted once a day.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SegmentRequestBenchmark {
    private static final Pattern LOCATION = Pattern.compile("(?im)^Location: *(\\S+)");
    private static final Pattern SEGMENT = Pattern.compile("seg\\.ts\\?(\\S+)");

    @Param({"hls-segment", "file"})
    public String request;

    @Param({"none", "filter"})
    public String filter;

    private ListenLogger logger;
    private ListenLogFilter listenLogFilter;
    private Server server;
    private LocalConnector.LocalEndPoint connection;
    private byte[] requestBytes;

    @Setup(Level.Trial)
    public void start() throws Exception {
        logger = ListenLogger.builder().store(new FilterOverheadServer.NoStore())
                .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                .closeOnShutdown(false).build();
        listenLogFilter = ListenLogFilter.builder(logger).tokenKey(FilterOverheadServer.TOKEN_KEY)
                .hlsPrefix("/hls/").downloadPrefix("/files/").build();
        String segmentQuery = segmentQueryFromThePlaylist();
        String path = request.equals("file") ? "/files/1/episode.mp3" : "/hls/1/seg.ts?" + segmentQuery;
        requestBytes = ("GET " + path + " HTTP/1.1\r\nHost: radio.example\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0\r\n"
                + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        LocalConnector connector = startServer(filter.equals("filter"));
        connection = connector.connect();
    }

    /** The query of the playlist's segment URI, as hls.js would request it: from a filtered server, then stopped. */
    private String segmentQueryFromThePlaylist() throws Exception {
        LocalConnector connector = startServer(true);
        String redirect = connector.getResponse("GET /hls/1/live.m3u8 HTTP/1.1\r\nHost: radio.example\r\n"
                + "Connection: close\r\n\r\n");
        Matcher location = LOCATION.matcher(redirect);
        if (!location.find()) {
            throw new IllegalStateException("the filter did not redirect the playlist: " + redirect);
        }
        String target = location.group(1).replaceFirst("^https?://[^/]+", "");
        String playlist = connector.getResponse("GET " + target + " HTTP/1.1\r\nHost: radio.example\r\n"
                + "Connection: close\r\n\r\n");
        Matcher segment = SEGMENT.matcher(playlist);
        if (!segment.find()) {
            throw new IllegalStateException("the playlist names no tokened segment: " + playlist);
        }
        server.stop();
        return segment.group(1);
    }

    private LocalConnector startServer(boolean filtered) throws Exception {
        server = new Server();
        LocalConnector connector = new LocalConnector(server);
        server.addConnector(connector);
        server.setHandler(FilterOverheadServer.context(filtered ? listenLogFilter : null));
        server.start();
        return connector;
    }

    @Benchmark
    public int get() throws Exception {
        connection.addInput(ByteBuffer.wrap(requestBytes));
        ByteBuffer response = connection.waitForResponse(false, 10, TimeUnit.SECONDS);
        if (response == null || response.get(9) != '2') {
            throw new IllegalStateException("the request was not answered with a 2xx");
        }
        return response.remaining();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        server.stop();
        logger.close();
        System.out.printf("%n%s %s: %s, hls %s, downloads %s%n", request, filter, logger.metrics(),
                listenLogFilter.hlsMetrics(), listenLogFilter.downloadMetrics());
    }
}
