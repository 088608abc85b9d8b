package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream served through the container: a listen whose duration is the connection's lifetime. Logged when the
 * response starts (its first byte, with a 2xx status), reported every progress interval while it lasts, and a last
 * time when it ends, however it ends.
 */
public final class StreamListen {
    private final ListenLogger logger;
    private final ListenRequest listen;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private volatile ScheduledFuture<?> progress;

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
            private ServletOutputStream out;
            private PrintWriter writer;

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
                    writer = new PrintWriter(new OutputStreamWriter(getOutputStream(),
                            getCharacterEncoding() == null ? StandardCharsets.UTF_8.name() : getCharacterEncoding()));
                }
                return writer;
            }

            @Override
            public void flushBuffer() throws IOException {
                startedWith(getStatus());
                super.flushBuffer();
            }
        };
    }

    private ServletOutputStream watched(ServletOutputStream delegate, HttpServletResponse response) {
        return new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
                startedWith(response.getStatus());
                delegate.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                startedWith(response.getStatus());
                delegate.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                startedWith(response.getStatus());
                delegate.flush();
            }

            @Override
            public void close() throws IOException {
                delegate.close();
            }

            @Override
            public boolean isReady() {
                return delegate.isReady();
            }

            @Override
            public void setWriteListener(WriteListener writeListener) {
                delegate.setWriteListener(writeListener);
            }
        };
    }

    private void startedWith(int status) {
        if (status >= 200 && status < 300 && !ended.get() && started.compareAndSet(false, true)) {
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
