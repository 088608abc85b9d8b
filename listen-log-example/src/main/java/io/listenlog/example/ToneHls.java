package io.listenlog.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The tone as an HLS live stream: {@code /hls/<id>/live.m3u8} is a window of three 4-second segments that slides
 * with the wall clock, looping over three AAC segments shipped in the jar (cut once with ffmpeg, so nothing runs at
 * run time), with a discontinuity where the loop starts again; {@code /hls/<id>/<n>.ts} are the segments.
 */
final class ToneHls extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int SEGMENT_SECONDS = 4;
    private static final int WINDOW = 3;
    private static final List<String> DURATIONS = List.of("4.017056", "3.993833", "3.993833");
    private final transient List<byte[]> segments = List.of(read(0), read(1), read(2));

    private static byte[] read(int n) {
        try (InputStream in = Objects.requireNonNull(ToneHls.class.getResourceAsStream("hls/tone" + n + ".ts"))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = request.getPathInfo() == null ? new String[0] : request.getPathInfo().split("/");
        if (parts.length != 3 || Pages.parseId("/" + parts[1]).isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (parts[2].equals("live.m3u8")) {
            response.setContentType("application/vnd.apple.mpegurl");
            response.setHeader("Cache-Control", "no-cache");
            response.getWriter().write(playlist(System.currentTimeMillis() / 1000 / SEGMENT_SECONDS));
            return;
        }
        long n;
        try {
            n = Long.parseLong(parts[2].replaceFirst("\\.ts$", ""));
        } catch (NumberFormatException e) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] segment = segments.get((int) Math.floorMod(n, segments.size()));
        response.setContentType("video/mp2t");
        response.setContentLength(segment.length);
        response.getOutputStream().write(segment);
    }

    /** The window ending at segment {@code last}: segment n plays shipped segment n mod 3. */
    private static String playlist(long last) {
        long first = last - WINDOW + 1;
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + SEGMENT_SECONDS
                + "\n#EXT-X-MEDIA-SEQUENCE:" + first + "\n#EXT-X-DISCONTINUITY-SEQUENCE:" + first / DURATIONS.size()
                + "\n");
        for (long n = first; n <= last; n++) {
            int shipped = (int) (n % DURATIONS.size());
            if (shipped == 0 && n != first) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            m3u8.append("#EXTINF:").append(DURATIONS.get(shipped)).append(",\n").append(n).append(".ts\n");
        }
        return m3u8.toString();
    }
}
