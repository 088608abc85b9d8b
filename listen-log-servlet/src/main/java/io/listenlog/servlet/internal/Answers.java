package io.listenlog.servlet.internal;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Runs a capture's step once the host's answer is known to be a 2xx: now, or when an async request completes. */
public final class Answers {
    private Answers() {
    }

    /**
     * Runs {@code onSuccess} when the host answered {@code request} with a 2xx: after {@code chain.doFilter} returned,
     * or, for an async request, when it completes (never when it failed or timed out). What it throws is reported to
     * {@code failures}, never to the host.
     */
    public static void whenSucceeded(HttpServletRequest request, HttpServletResponse response, Runnable onSuccess,
                                     CaptureFailures failures) {
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Completion(response, onSuccess, failures));
            } else if (Captures.isSuccess(response.getStatus())) {
                onSuccess.run();
            }
        } catch (RuntimeException e) {
            failures.warn("could not follow the response", e);
        }
    }

    private static final class Completion implements AsyncListener {
        private final HttpServletResponse response;
        private final Runnable onSuccess;
        private final CaptureFailures failures;
        private volatile boolean failed;

        Completion(HttpServletResponse response, Runnable onSuccess, CaptureFailures failures) {
            this.response = response;
            this.onSuccess = onSuccess;
            this.failures = failures;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                if (!failed && Captures.isSuccess(response.getStatus())) {
                    onSuccess.run();
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
