package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.internal.RateLimitedLog;
import io.listenlog.servlet.internal.IcecastListeners;
import io.listenlog.servlet.internal.TrustedProxies;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Icecast 2.4's URL authentication for listeners, for stations that stream from Icecast rather than from the web
 * app: on {@code action=listener_add} it logs the play (client address from {@code ip}, user agent from
 * {@code agent}, the mount's source id) and admits the listener with the {@code icecast-auth-user: 1} header; on
 * {@code action=listener_remove} it records the {@code duration} Icecast reports, for the listen of that Icecast
 * {@code client} id and mount, cut to the time since the addition plus {@link #DURATION_SLACK}. Point a mount's
 * {@code listener_add} and {@code listener_remove} options at it.
 *
 * <p>A mount is matched by its path: Icecast posts the URI the listener asked for, query included
 * ({@code /radio1?nocache=123}), and {@code /radio1} is what counts. Only requests from
 * {@link Builder#icecastAddresses} are answered (403 otherwise). A mount it does not know is admitted or refused as
 * {@link Builder#admitUnknownMounts} says, never an error; nothing that goes wrong in listen-log refuses a listener
 * of a known mount. The pairing of additions and removals lives in memory, bounded: a listener not removed within the
 * logger's {@code maxListenDuration} is forgotten, and so are the oldest beyond 100,000 at once
 * ({@link #forgottenListeners()}); a removal whose addition this instance did not see (it restarted in between, or
 * forgot it) is counted in {@link #unmatchedRemovals()} and logged at DEBUG.
 */
public final class IcecastListenerServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IcecastListenerServlet.class);
    /** The header and value that admit a listener, as Icecast's {@code auth_header} option expects by default. */
    public static final String AUTH_HEADER = "icecast-auth-user";
    /**
     * How much longer than the time since its addition a listener's reported {@code duration} may be: Icecast counts
     * from the connection, a moment before it asks to admit it, and its callbacks may wait behind others.
     */
    public static final Duration DURATION_SLACK = Duration.ofSeconds(5);

    private final transient ListenLogger logger;
    private final Map<String, Long> mounts;
    private final boolean admitUnknownMounts;
    private final transient TrustedProxies icecastAddresses;
    private final transient IcecastListeners listening;
    private final transient LongAdder unmatchedRemovals = new LongAdder();
    private final transient LongAdder cutDurations = new LongAdder();
    private final transient RateLimitedLog failures = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    private IcecastListenerServlet(Builder b) {
        this.logger = b.logger;
        this.mounts = Map.copyOf(b.mounts);
        this.admitUnknownMounts = b.admitUnknownMounts;
        this.icecastAddresses = b.icecastAddresses;
        this.listening = new IcecastListeners(b.logger.maxListenDuration());
    }

    /** A builder for the callbacks of the Icecast servers at {@link Builder#icecastAddresses}, logging to {@code logger}. */
    public static Builder builder(ListenLogger logger) {
        return new Builder(Objects.requireNonNull(logger, "logger"));
    }

    /** Removals whose listener this instance never saw added. */
    public long unmatchedRemovals() {
        return unmatchedRemovals.sum();
    }

    /**
     * Listeners forgotten before their removal came: added longer than the logger's {@code maxListenDuration} ago,
     * the oldest beyond 100,000 at once, or replaced by a new listener of the same Icecast client id (Icecast
     * restarted and counts from 1 again). Their plays are stored; their durations are not.
     */
    public long forgottenListeners() {
        return listening.forgotten();
    }

    /** Removals whose {@code duration} was longer than the time since their addition plus {@link #DURATION_SLACK}. */
    public long cutDurations() {
        return cutDurations.sum();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        if (!icecastAddresses.contains(request.getRemoteAddr())) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String action;
        String mount;
        String client;
        String duration;
        try {
            action = request.getParameter("action");
            mount = mountPath(request.getParameter("mount"));
            client = request.getParameter("server") + ":" + request.getParameter("port") + mount + "#"
                    + request.getParameter("client");
            duration = request.getParameter("duration");
        } catch (RuntimeException unreadable) {  // Tomcat throws on a broken escape or an oversized form
            refuseUnreadable(response);
            return;
        }
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
                Instant now = logger.clock().instant();
                ListenRequest listen = ListenRequest.builder(sourceId).clientIp(request.getParameter("ip"))
                        .userAgent(request.getParameter("agent")).occurredAt(now).build();
                listening.added(client, listen.listenId(), now);
                logger.log(listen);
            } catch (RuntimeException e) {
                failures.warn("listen-log could not log an Icecast listener and admitted it anyway: {}",
                        e.getClass().getName());
            }
        } else if ("listener_remove".equals(action) && sourceId != null) {
            removed(client, duration);
        }
    }

    private static void refuseUnreadable(HttpServletResponse response) {
        try {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("listen-log could not read this callback: Icecast posts an"
                    + " application/x-www-form-urlencoded form with action, mount, client and ip\n");
        } catch (java.io.IOException | RuntimeException clientGone) {
            LOG.debug("listen-log could not answer an unreadable Icecast callback", clientGone);
        }
    }

    /** The path of the URI Icecast posts as {@code mount}: {@code /radio1?type=.mp3} is mount {@code /radio1}. */
    private static @Nullable String mountPath(String mount) {
        if (mount == null) {
            return null;
        }
        int query = mount.indexOf('?');
        return query < 0 ? mount : mount.substring(0, query);
    }

    private void removed(String client, String duration) {
        Instant now = logger.clock().instant();
        IcecastListeners.Added added = listening.removed(client, now);
        if (added == null) {
            unmatchedRemovals.increment();
            LOG.debug("listen-log saw no listener_add for Icecast client {}", client);
        } else if (duration != null && duration.matches("[0-9]{1,9}")) {
            long reported = Long.parseLong(duration);
            long possible = Math.max(0, Duration.between(added.at(), now).plus(DURATION_SLACK).getSeconds());
            if (reported > possible) {
                cutDurations.increment();
            }
            logger.progress(added.listenId(), Duration.ofSeconds(Math.min(reported, possible)));
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
