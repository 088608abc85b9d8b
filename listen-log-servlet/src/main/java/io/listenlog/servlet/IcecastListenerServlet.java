package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.internal.RateLimitedLog;
import io.listenlog.servlet.internal.TrustedProxies;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Icecast 2.4's URL authentication for listeners, for stations that stream from Icecast rather than from the web
 * app: on {@code action=listener_add} it logs the play (client address from {@code ip}, user agent from
 * {@code agent}, the mount's source id) and admits the listener with the {@code icecast-auth-user: 1} header; on
 * {@code action=listener_remove} it records the {@code duration} Icecast reports, for the listen of that Icecast
 * {@code client} id and mount. Point a mount's {@code listener_add} and {@code listener_remove} options at it.
 *
 * <p>Only requests from {@link Builder#icecastAddresses} are answered (403 otherwise). A mount it does not know is
 * admitted or refused as {@link Builder#admitUnknownMounts} says, never an error; nothing that goes wrong in
 * listen-log refuses a listener of a known mount. A removal whose addition this instance did not see (it restarted
 * in between) is counted in {@link #unmatchedRemovals()} and logged at DEBUG.
 */
public final class IcecastListenerServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IcecastListenerServlet.class);
    /** The header and value that admit a listener, as Icecast's {@code auth_header} option expects by default. */
    public static final String AUTH_HEADER = "icecast-auth-user";

    private final transient ListenLogger logger;
    private final Map<String, Long> mounts;
    private final boolean admitUnknownMounts;
    private final transient TrustedProxies icecastAddresses;
    private final transient Map<String, UUID> listening = new ConcurrentHashMap<>();
    private final transient LongAdder unmatchedRemovals = new LongAdder();
    private final transient RateLimitedLog failures = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    private IcecastListenerServlet(Builder b) {
        this.logger = b.logger;
        this.mounts = Map.copyOf(b.mounts);
        this.admitUnknownMounts = b.admitUnknownMounts;
        this.icecastAddresses = b.icecastAddresses;
    }

    /** A builder for the callbacks of the Icecast servers at {@link Builder#icecastAddresses}, logging to {@code logger}. */
    public static Builder builder(ListenLogger logger) {
        return new Builder(Objects.requireNonNull(logger, "logger"));
    }

    /** Removals whose listener this instance never saw added. */
    public long unmatchedRemovals() {
        return unmatchedRemovals.sum();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        if (!icecastAddresses.contains(request.getRemoteAddr())) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String action = request.getParameter("action");
        String mount = request.getParameter("mount");
        String key = request.getParameter("server") + ":" + request.getParameter("port") + mount + "#"
                + request.getParameter("client");
        Long sourceId = mount == null ? null : mounts.get(mount);
        if ("listener_add".equals(action)) {
            if (sourceId == null) {
                if (admitUnknownMounts) {
                    response.setHeader(AUTH_HEADER, "1");
                } else {
                    response.setHeader("icecast-auth-message", "unknown mount");
                }
                return;
            }
            response.setHeader(AUTH_HEADER, "1");
            try {
                ListenRequest listen = ListenRequest.builder(sourceId).clientIp(request.getParameter("ip"))
                        .userAgent(request.getParameter("agent")).occurredAt(Instant.now()).build();
                listening.put(key, listen.listenId());
                logger.log(listen);
            } catch (RuntimeException e) {
                failures.warn("listen-log could not log an Icecast listener and admitted it anyway: {}",
                        e.getClass().getName());
            }
        } else if ("listener_remove".equals(action) && sourceId != null) {
            UUID listenId = listening.remove(key);
            String duration = request.getParameter("duration");
            if (listenId == null) {
                unmatchedRemovals.increment();
                LOG.debug("listen-log saw no listener_add for Icecast client {} on {}", request.getParameter("client"),
                        mount);
            } else if (duration != null && duration.matches("[0-9]{1,9}")) {
                logger.progress(listenId, Duration.ofSeconds(Long.parseLong(duration)));
            }
        }
    }

    /** Configures an {@link IcecastListenerServlet}. */
    public static final class Builder {
        private final ListenLogger logger;
        private final Map<String, Long> mounts = new LinkedHashMap<>();
        private boolean admitUnknownMounts;
        private TrustedProxies icecastAddresses = TrustedProxies.parse("127.0.0.1", "::1");

        private Builder(ListenLogger logger) {
            this.logger = logger;
        }

        /** A mount ({@code /radio1}) and the {@code radio_source} id its listens count for. */
        public Builder mount(String mount, long sourceId) {
            Objects.requireNonNull(mount, "mount");
            if (!mount.startsWith("/")) {
                throw new IllegalArgumentException("a mount starts with /, such as /radio1; got '" + mount + "'");
            }
            if (sourceId <= 0) {
                throw new IllegalArgumentException("sourceId must be positive, got " + sourceId);
            }
            mounts.put(mount, sourceId);
            return this;
        }

        /** Whether listeners of mounts not given to {@link #mount} are admitted (not logged); default refused. */
        public Builder admitUnknownMounts(boolean admitUnknownMounts) {
            this.admitUnknownMounts = admitUnknownMounts;
            return this;
        }

        /**
         * The Icecast servers' addresses, as CIDR blocks or addresses; requests from elsewhere get 403. Default
         * {@code 127.0.0.1} and {@code ::1}.
         */
        public Builder icecastAddresses(String... cidrs) {
            this.icecastAddresses = TrustedProxies.parse(cidrs);
            return this;
        }

        /**
         * @throws IllegalStateException without any mount
         */
        public IcecastListenerServlet build() {
            if (mounts.isEmpty()) {
                throw new IllegalStateException("give the Icecast mounts and their source ids: mount(\"/radio1\", 1)");
            }
            return new IcecastListenerServlet(this);
        }
    }
}
