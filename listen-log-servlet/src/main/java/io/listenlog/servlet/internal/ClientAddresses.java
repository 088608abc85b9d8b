package io.listenlog.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's client address: the peer, or what {@code X-Forwarded-For}/{@code Forwarded} say when the peer is a
 * trusted proxy. Headers from any other peer are ignored, with one warning, since anybody can send them.
 */
public final class ClientAddresses {
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String FORWARDED = "Forwarded";

    private final TrustedProxies trustedProxies;
    private final Logger log;
    private final AtomicBoolean warnedUntrustedForwarding = new AtomicBoolean();

    public ClientAddresses(TrustedProxies trustedProxies, Logger log) {
        this.trustedProxies = trustedProxies;
        this.log = log;
    }

    public @Nullable String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        List<String> xForwardedFor = Collections.list(request.getHeaders(X_FORWARDED_FOR));
        List<String> forwarded = Collections.list(request.getHeaders(FORWARDED));
        if (xForwardedFor.isEmpty() && forwarded.isEmpty()) {
            return peer;
        }
        if (!trustedProxies.contains(peer)) {
            warnUntrustedForwarding();
            return peer;
        }
        return ForwardedHeaders.clientAddress(xForwardedFor, forwarded, peer, trustedProxies);
    }

    private void warnUntrustedForwarding() {
        if (warnedUntrustedForwarding.compareAndSet(false, true)) {
            log.warn("listen-log ignored X-Forwarded-For/Forwarded headers because they came from a peer that is "
                    + "not a trusted proxy, and used the peer's address. If this application runs behind a reverse "
                    + "proxy, list the proxy's addresses with ListenLogFilter.builder(...).trustedProxies(...) or the "
                    + "init-param trusted-proxies (for example 10.0.0.0/8), or every listen is attributed to the "
                    + "proxy. Logged once.");
        }
    }
}
