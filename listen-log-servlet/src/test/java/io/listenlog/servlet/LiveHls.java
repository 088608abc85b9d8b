package io.listenlog.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A live HLS stream as a packager serves one: ffmpeg cuts a tone into 2-second AAC segments once, and this servlet
 * (mapped at {@code /hls/*}) serves {@code /<id>/live.m3u8} as a window of the last four segments that slides by
 * one every two seconds from when it was made, and the segments themselves. Its playlists name segments relatively,
 * as packagers do.
 */
final class LiveHls extends HttpServlet {
    static final int SEGMENT_SECONDS = 2;
    private static final int WINDOW = 4;

    private final Path segments;
    private final List<String> names = new ArrayList<>();
    private final List<String> durations = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private LiveHls(Path segments) throws IOException {
        this.segments = segments;
        String pending = null;
        for (String line : Files.readAllLines(segments.resolve("vod.m3u8"))) {
            if (line.startsWith("#EXTINF:")) {
                pending = line;
            } else if (!line.startsWith("#") && !line.isBlank()) {
                durations.add(pending);
                names.add(line.strip());
            }
        }
    }

    /** Cuts a minute of tone into segments under {@code folder} with ffmpeg, and serves them live. */
    static LiveHls madeWithFfmpeg(Path folder) throws Exception {
        cut(folder);
        return madeOf(folder);
    }

    /** Serves, live from now, the segments {@link #madeWithFfmpeg} cut into {@code folder}. */
    static LiveHls madeOf(Path folder) throws IOException {
        return new LiveHls(folder);
    }

    private static void cut(Path folder) throws Exception {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=60", "-ar", "48000", "-ac", "1", "-c:a", "aac", "-b:a", "48k", "-f", "hls",
                "-hls_time", String.valueOf(SEGMENT_SECONDS), "-hls_list_size", "0", "-hls_segment_filename",
                folder.resolve("seg%03d.ts").toString(), folder.resolve("vod.m3u8").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            ffmpeg.destroyForcibly();
            throw new IllegalStateException("ffmpeg could not cut the test's HLS segments");
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = request.getPathInfo() == null ? new String[0] : request.getPathInfo().split("/");
        if (parts.length != 3) {
            response.sendError(404);
            return;
        }
        String name = parts[2];
        if (name.equals("live.m3u8")) {
            int last = (int) Math.min(names.size() - 1, WINDOW - 1
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos) / SEGMENT_SECONDS);
            int first = last - WINDOW + 1;
            StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:"
                    + SEGMENT_SECONDS + "\n#EXT-X-MEDIA-SEQUENCE:" + first + "\n");
            for (int i = first; i <= last; i++) {
                playlist.append(durations.get(i)).append('\n').append(names.get(i)).append('\n');
            }
            response.setContentType("application/vnd.apple.mpegurl");
            response.setHeader("Cache-Control", "no-cache");
            response.getWriter().write(playlist.toString());
        } else if (names.contains(name.toLowerCase(Locale.ROOT))) {
            byte[] segment = Files.readAllBytes(segments.resolve(name));
            response.setContentType("video/mp2t");
            response.setContentLength(segment.length);
            response.getOutputStream().write(segment);
        } else {
            response.sendError(404);
        }
    }
}
