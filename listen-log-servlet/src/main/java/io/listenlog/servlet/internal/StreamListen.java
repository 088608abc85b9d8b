package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream served through the container: a listen whose duration is the connection's lifetime. Logged when the
 * response starts (its first byte, with a 2xx status), reported every progress interval while it lasts, and a last
 * time when it ends, however it ends. What decides is the response, not the request's {@code Range}: a response that
 * declares a length of at most {@link #PROBE_MAX_BYTES}, or a 206 of several ranges ({@code multipart/byteranges},
 * which no player plays), is a probe and never logged, because a live stream that ignores {@code Range} serves a
 * "bounded" request forever, and a file that honours {@code bytes=-500} serves 500 bytes.
 */
public final class StreamListen {
    /** The most a response may declare ({@code Content-Length}) and still be a probe: 64 KiB, about 4 s at 128 kbit/s. */
    public static final long PROBE_MAX_BYTES = 64 * 1024;

    private final ListenLogger logger;
    private final ListenRequest listen;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private volatile @Nullable ScheduledFuture<?> progress;
    private volatile long declaredLength = -1;

    public StreamListen(ListenLogger logger, ListenRequest listen, ScheduledExecutorService scheduler,
                        Duration interval) {
        this.logger = logger;
        this.listen = listen;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    /** The response, watched for its first byte. */
    public HttpServletResponse wrap(HttpServletResponse response) {
        return new HttpServletResponseWrapper(response) {
            private @Nullable ServletOutputStream out;
            private @Nullable PrintWriter writer;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = watched(super.getOutputStream(), this);
                }
                return out;
            }

            @Override
            public PrintWriter getWriter() throws IOException {
                if (writer == null) {
                    writer = WatchedOutputStream.writerOver(getOutputStream(), getCharacterEncoding());
                }
                return writer;
            }

            @Override
            public void setContentLength(int length) {
                declaredLength = length;
                super.setContentLength(length);
            }

            @Override
            public void setContentLengthLong(long length) {
                declaredLength = length;
                super.setContentLengthLong(length);
            }

            @Override
            public void setHeader(String name, String value) {
                declared(name, value);
                super.setHeader(name, value);
            }

            @Override
            public void addHeader(String name, String value) {
                declared(name, value);
                super.addHeader(name, value);
            }

            @Override
            public void setIntHeader(String name, int value) {
                declared(name, String.valueOf(value));
                super.setIntHeader(name, value);
            }

            @Override
            public void addIntHeader(String name, int value) {
                declared(name, String.valueOf(value));
                super.addIntHeader(name, value);
            }

            @Override
            public void reset() {
                declaredLength = -1;
                super.reset();
            }

            @Override
            public void flushBuffer() throws IOException {
                startedWith(this);
                super.flushBuffer();
            }
        };
    }

    private ServletOutputStream watched(ServletOutputStream delegate, HttpServletResponse response) {
        return new WatchedOutputStream(delegate, new WatchedOutputStream.Watcher() {
            @Override
            public void written(byte[] b, int off, int len) {
                startedWith(response);
            }

            @Override
            public void flushed() {
                startedWith(response);
            }
        });
    }


    private void declared(String header, String value) {
        if ("Content-Length".equalsIgnoreCase(header)) {
            try {
                declaredLength = value == null ? -1 : Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                declaredLength = -1;
            }
        }
    }

    /** Whether the response, as it starts, is a listen: a 2xx that streams or declares more than a probe's bytes. */
    private boolean isListen(int status, String contentType) {
        long length = declaredLength;
        boolean severalRanges = status == 206 && contentType != null
                && contentType.regionMatches(true, 0, "multipart/byteranges", 0, 20);
        return status >= 200 && status < 300 && !severalRanges && (length < 0 || length > PROBE_MAX_BYTES);
    }

    private void startedWith(HttpServletResponse response) {
        if (!started.get() && isListen(response.getStatus(), response.getContentType()) && !ended.get() && started.compareAndSet(false, true)) {
            logger.log(listen);
            progress = scheduler.scheduleAtFixedRate(this::report, interval.toNanos(), interval.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void report() {
        logger.progress(listen.listenId(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** The connection ended: completed, failed, or the client left. Idempotent. */
    public void end() {
        if (ended.compareAndSet(false, true) && started.get()) {
            ScheduledFuture<?> timer = progress;
            if (timer != null) {
                timer.cancel(false);
            }
            report();
        }
    }
}
