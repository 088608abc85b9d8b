package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Player pages {@code GET <prefix><id>}: the listen a page is, its token for the page's player, and, when every page
 * served is a play, logging it once the response (or an async one, on completion) has a 2xx status.
 */
public final class PageListens {
    private final ListenLogger logger;
    private final String pathPrefix;
    private final Captures captures;
    private final CaptureFailures failures;

    public PageListens(ListenLogger logger, String pathPrefix, Captures captures, CaptureFailures failures) {
        this.logger = logger;
        this.pathPrefix = pathPrefix;
        this.captures = captures;
        this.failures = failures;
    }

    /** The listen this request would be, captured now; {@code null} when it is not one. */
    public @Nullable ListenRequest capture(HttpServletRequest request) {
        try {
            return captures.listenUnder(pathPrefix, request);
        } catch (RuntimeException e) {
            failures.warn("could not read the request", e);
            return null;
        }
    }

    /** After the host answered: logs {@code listen} if the answer is a 2xx, now or when the async request completes. */
    public void logWhenAnswered(ListenRequest listen, HttpServletRequest request, HttpServletResponse response) {
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Completion(listen, response));
            } else if (Captures.isSuccess(response.getStatus())) {
                record(listen);
            }
        } catch (RuntimeException e) {
            failures.warn("could not follow the response", e);
        }
    }

    private void record(ListenRequest listen) {
        try {
            logger.log(listen);
        } catch (RuntimeException e) {
            failures.warn("could not log a listen", e);
        }
    }

    /** Logs the listen when an async request completes with a 2xx status, unless it failed or timed out. */
    private final class Completion implements AsyncListener {
        private final ListenRequest listen;
        private final HttpServletResponse response;
        private volatile boolean failed;

        Completion(ListenRequest listen, HttpServletResponse response) {
            this.listen = listen;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                if (!failed && Captures.isSuccess(response.getStatus())) {
                    record(listen);
                }
            } catch (RuntimeException e) {
                failures.warn("could not follow an async response", e);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            failed = true;
        }

        @Override
        public void onError(AsyncEvent event) {
            failed = true;
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new async cycle drops the listeners of the previous one; stay registered until the real completion.
            event.getAsyncContext().addListener(this);
        }
    }
}
