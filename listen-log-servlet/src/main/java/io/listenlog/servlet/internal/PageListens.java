package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Player pages {@code GET <prefix><id>}: the listen a page is, its token for the page's player, and, when every page
 * served is a play, logging it once the response (or an async one, on completion) has a 2xx status.
 */
public final class PageListens {
    private final ListenLogger logger;
    private final String pathPrefix;
    private final ListenTokens tokens;
    private final String tokenAttribute;
    private final Captures captures;
    private final CaptureFailures failures;

    /** @param tokenAttribute the request attribute the page's listen token goes into, for the host's template */
    public PageListens(ListenLogger logger, String pathPrefix, ListenTokens tokens, String tokenAttribute,
                       Captures captures, CaptureFailures failures) {
        this.logger = logger;
        this.pathPrefix = pathPrefix;
        this.tokens = tokens;
        this.tokenAttribute = tokenAttribute;
        this.captures = captures;
        this.failures = failures;
    }

    /**
     * The listen this request would be, captured now, its signed token put in the request for the page; {@code null}
     * when it is not one.
     */
    public @Nullable ListenRequest capture(String path, HttpServletRequest request) {
        ListenRequest listen;
        try {
            listen = captures.listenUnder(pathPrefix, path, request);
        } catch (RuntimeException e) {
            failures.warn("could not read the request", e);
            return null;
        }
        if (listen != null) {
            try {
                request.setAttribute(tokenAttribute, tokens.issue(listen.listenId(), listen.sourceId(),
                        Objects.requireNonNull(listen.occurredAt(), "captures stamp every listen"),
                        listen.referrer()));
            } catch (RuntimeException e) {
                failures.warn("could not issue a listen token", e);
            }
        }
        return listen;
    }

    /** After the host answered: logs {@code listen} if the answer is a 2xx, now or when the async request completes. */
    public void logWhenAnswered(ListenRequest listen, HttpServletRequest request, HttpServletResponse response) {
        Answers.whenSucceeded(request, response, () -> record(listen), failures);
    }

    private void record(ListenRequest listen) {
        try {
            logger.log(listen);
        } catch (RuntimeException e) {
            failures.warn("could not log a listen", e);
        }
    }
}
