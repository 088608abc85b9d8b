package io.listenlog.servlet.internal;

import io.listenlog.core.ListenRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.util.Locale;
import java.util.function.Predicate;

/** What every way of capture asks of a request: is it a listen's GET at all, and the listen it is. */
public final class Captures {
    private final ClientAddresses clients;
    private final Predicate<HttpServletRequest> optOut;
    private final Clock clock;

    public Captures(ClientAddresses clients, Predicate<HttpServletRequest> optOut, Clock clock) {
        this.clients = clients;
        this.optOut = optOut;
        this.clock = clock;
    }

    /** A {@code GET} on its first dispatch: the only request that may be a listen. */
    private static boolean isFirstGet(HttpServletRequest request) {
        return request.getDispatcherType() == DispatcherType.REQUEST && "GET".equals(request.getMethod());
    }

    /** Neither a prefetch or preview nor opted out; asked only of a listen's path, as the host's check may cost. */
    private boolean isWanted(HttpServletRequest request) {
        return !isPrefetch(request) && !optOut.test(request);
    }

    /** A first-dispatch {@code GET} that is neither a prefetch nor opted out. */
    public boolean isWantedGet(HttpServletRequest request) {
        return isFirstGet(request) && isWanted(request);
    }

    /**
     * The listen this request, at {@code path} in its context, is under {@code prefix}, captured now: a
     * first-dispatch {@code GET} of {@code <prefix><id>}, no prefetch and not opted out; {@code null} when it is none.
     */
    public @Nullable ListenRequest listenUnder(String prefix, String path, HttpServletRequest request) {
        if (!isFirstGet(request)) {
            return null;
        }
        long sourceId = ListenPaths.sourceId(path, prefix);
        return sourceId == 0 || !isWanted(request) ? null : listenOf(request, sourceId);
    }

    /** The listen of {@code sourceId} this request is, from its client, user agent and referrer, now. */
    public ListenRequest listenOf(HttpServletRequest request, long sourceId) {
        return ListenRequest.builder(sourceId).clientIp(clients.of(request))
                .userAgent(request.getHeader("User-Agent")).referrer(request.getHeader("Referer"))
                .occurredAt(clock.instant()).build();
    }

    public @Nullable String clientAddress(HttpServletRequest request) {
        return clients.of(request);
    }

    /** The path inside the context, decoded and free of path parameters such as {@code ;jsessionid}. */
    public static String pathInContext(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }

    public static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static boolean isPrefetch(HttpServletRequest request) {
        String xPurpose = request.getHeader("X-Purpose");  // Safari's link previews
        return mentionsPrefetch(request.getHeader("Sec-Purpose"))
                || mentionsPrefetch(request.getHeader("Purpose"))
                || mentionsPrefetch(request.getHeader("X-Moz"))
                || xPurpose != null && xPurpose.strip().equalsIgnoreCase("preview");
    }

    private static boolean mentionsPrefetch(String header) {
        if (header == null) {
            return false;
        }
        for (String token : header.toLowerCase(Locale.ROOT).split("[,;\\s]+")) {
            if (token.equals("prefetch")) {
                return true;
            }
        }
        return false;
    }
}
