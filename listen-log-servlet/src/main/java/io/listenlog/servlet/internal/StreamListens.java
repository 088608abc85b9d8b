package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.time.Duration;

/**
 * Streams the container serves under the stream prefix: each {@code GET} is watched as a {@link StreamListen}, whose
 * progress the filter's {@link ReportThread} reports.
 */
public final class StreamListens {
    private final ListenLogger logger;
    private final @Nullable String streamPrefix;
    private final Duration progressInterval;
    private final Captures captures;
    private final CaptureFailures failures;
    private final ReportThread reports;

    /** @param streamPrefix where streams live, or {@code null} when the filter captures none */
    public StreamListens(ListenLogger logger, @Nullable String streamPrefix, Duration progressInterval,
                         Captures captures, CaptureFailures failures, ReportThread reports) {
        this.logger = logger;
        this.streamPrefix = streamPrefix;
        this.progressInterval = progressInterval;
        this.captures = captures;
        this.failures = failures;
        this.reports = reports;
    }

    /**
     * Passes a stream's request down the chain with its response watched, and follows it to its end.
     *
     * @return {@code false} when the request is no stream's, and was not passed on
     */
    public boolean serve(String path, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String prefix = streamPrefix;
        if (prefix == null || !path.startsWith(prefix)) {
            return false;
        }
        StreamListen stream = streamListen(prefix, path, request);
        if (stream == null) {
            return false;
        }
        try {
            chain.doFilter(request, stream.wrap(response));
        } finally {
            endWhenDone(stream, request);
        }
        return true;
    }

    /** A stream this request may start (its response decides), or {@code null} when it is none. */
    private @Nullable StreamListen streamListen(String prefix, String path, HttpServletRequest request) {
        try {
            ListenRequest listen = captures.listenUnder(prefix, path, request);
            return listen == null ? null : new StreamListen(logger, listen, reports.scheduler(), progressInterval);
        } catch (RuntimeException e) {
            failures.warn("could not read the request", e);
            return null;
        }
    }

    private void endWhenDone(StreamListen stream, HttpServletRequest request) {
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        stream.end();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        stream.end();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        stream.end();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        event.getAsyncContext().addListener(this);
                    }
                });
            } else {
                stream.end();
            }
        } catch (RuntimeException e) {
            failures.warn("could not follow a stream", e);
        }
    }
}
