package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * HLS live streams under the HLS prefix, {@code <prefix><id>/<playlist or segment>}. A playlist requested without a
 * valid listen token is answered with a redirect to itself with a new token ({@link Playlists#TOKEN_PARAMETER}); one
 * with a token passes with the token added to every URI in it, so that every segment request names its listen,
 * whichever instance it reaches. A segment request with a valid token is the listen's: the first one an instance
 * sees logs the listen (its listen id makes a second log by another instance harmless), and each one sets its
 * listening time to the time since the token was issued plus the source's target duration (the segment it just
 * fetched is still to be heard; the playlist puts it on the segment URIs it passes, {@link Playlists#TARGET_PARAMETER},
 * as an instance behind a load balancer may never see a playlist). Each instance reports what it saw every progress interval; a listen none of whose
 * segments reached it for {@link #GAP} is forgotten.
 */
public final class HlsListens {
    /** How long without a segment request an instance keeps a listen. */
    public static final Duration GAP = Duration.ofSeconds(30);
    /** The most listens a filter's instance follows at once; more are logged and reported at each segment. */
    public static final int MAX_ACTIVE = 100_000;
    /** Segment duration assumed for a source before a playlist of it declared {@code EXT-X-TARGETDURATION}. */
    public static final int DEFAULT_TARGET_SECONDS = 6;
    /** The largest playlist the filter adds tokens to; a larger response passes unchanged. */
    static final int MAX_PLAYLIST_BYTES = 1 << 20;
    private static final int MAX_SOURCES = 4_096;
    private static final long SEEN_GRANULARITY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ListenLogger logger;
    private final @Nullable String prefix;
    private final ListenTokens tokens;
    private final Duration maxListenDuration;
    private final Duration interval;
    private final Captures captures;
    private final CaptureFailures failures;
    private final ReportThread reports;
    private final Clock clock;
    private final int maxActive;
    private final Map<UUID, Tracked> active = new ConcurrentHashMap<>();
    private final AtomicInteger activeCount = new AtomicInteger();
    private final Map<Long, Integer> targetSeconds = new ConcurrentHashMap<>();
    /** Tokens whose signature matched already: a listener sends its token with every segment. */
    private final Map<String, ListenTokens.Token> verified = new ConcurrentHashMap<>();
    private final Object sweepLock = new Object();
    private @Nullable ScheduledFuture<?> sweep;

    public final LongAdder playlists = new LongAdder();
    public final LongAdder segments = new LongAdder();
    public final LongAdder listens = new LongAdder();
    public final LongAdder unattributed = new LongAdder();
    public final LongAdder untracked = new LongAdder();

    /** One listen this instance follows. */
    private static final class Tracked {
        volatile long lastSeenNanos;
        volatile long seconds;
        long reported;

        Tracked(long now) {
            lastSeenNanos = now;
        }
    }

    /** @param prefix where HLS streams live, or {@code null} when the filter captures none */
    public HlsListens(ListenLogger logger, @Nullable String prefix, ListenTokens tokens, Duration maxListenDuration,
                      Duration interval, Captures captures, CaptureFailures failures, ReportThread reports,
                      int maxActive) {
        this.logger = logger;
        this.prefix = prefix;
        this.tokens = tokens;
        this.maxListenDuration = maxListenDuration;
        this.interval = interval;
        this.captures = captures;
        this.failures = failures;
        this.reports = reports;
        this.clock = logger.clock();
        this.maxActive = maxActive;
    }

    /** The listens this instance follows now. */
    public int active() {
        return activeCount.get();
    }

    /**
     * Serves a request under the HLS prefix.
     *
     * @return {@code false} when the request is not an HLS listen's, and was not passed on
     */
    public boolean serve(String path, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String p = prefix;
        if (p == null) {
            return false;
        }
        long sourceId = ListenPaths.sourceIdOfFolder(path, p);
        if (sourceId == 0 || !captures.isWantedGet(request)) {
            return false;
        }
        String query = request.getQueryString();
        String text = Playlists.token(query);
        ListenTokens.Token token = valid(text, sourceId);
        if (Playlists.isPlaylist(path)) {
            if (token == null || text == null) {
                redirectWithToken(sourceId, request, response);
            } else {
                passPlaylist(sourceId, text, request, response, chain);
            }
            return true;
        }
        if (token == null) {
            unattributed.increment();
            return false;
        }
        chain.doFilter(request, response);
        int target = Playlists.target(query);
        Answers.whenSucceeded(request, response, () -> heard(sourceId, token, target, request), failures);
        return true;
    }

    private ListenTokens.@Nullable Token valid(@Nullable String text, long sourceId) {
        if (text == null) {
            return null;
        }
        ListenTokens.Token token = verified.get(text);
        if (token == null) {
            token = tokens.verify(text);
            if (token != null) {
                BoundedMaps.put(verified, text, token, maxActive);
            }
        }
        if (token == null || token.sourceId() != sourceId
                || clock.millis() - token.start().toEpochMilli() > maxListenDuration.toMillis()) {
            return null;
        }
        return token;
    }

    private void redirectWithToken(long sourceId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ListenRequest listen = captures.listenOf(request, sourceId);
        String token = tokens.issue(listen.listenId(), sourceId,
                Objects.requireNonNull(listen.occurredAt(), "captures stamp every listen"),
                listen.referrer());
        String query = Playlists.queryWithoutToken(request.getQueryString());
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", request.getRequestURI() + "?" + (query.isEmpty() ? "" : query + "&")
                + Playlists.TOKEN_PARAMETER + "=" + token);
        response.setContentLength(0);
    }

    private void passPlaylist(long sourceId, String token, HttpServletRequest request,
                              HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        BufferedResponse buffered = new BufferedResponse(response, MAX_PLAYLIST_BYTES);
        chain.doFilter(request, buffered);
        if (request.isAsyncStarted()) {
            throw new ServletException("listen-log cannot add listen tokens to an HLS playlist answered "
                    + "asynchronously (" + request.getRequestURI() + "): answer playlists synchronously");
        }
        byte @Nullable [] body = buffered.body();
        if (body == null) {
            return;
        }
        String playlist = new String(body, StandardCharsets.UTF_8);
        if (Captures.isSuccess(response.getStatus()) && playlist.startsWith("#EXTM3U")) {
            int target = Playlists.targetDuration(playlist);
            if (target > 0) {
                BoundedMaps.put(targetSeconds, sourceId, target, MAX_SOURCES);
            }
            body = Playlists.withToken(playlist, token, target, request.getHeader("Host"))
                    .getBytes(StandardCharsets.UTF_8);
            playlists.increment();
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A segment of the token's listen was served. */
    private void heard(long sourceId, ListenTokens.Token token, int target, HttpServletRequest request) {
        segments.increment();
        long seconds = Math.min(maxListenDuration.getSeconds(),
                Math.max(0, (clock.millis() - token.start().toEpochMilli()) / 1000)
                        + (target > 0 ? target : targetSeconds.getOrDefault(sourceId, DEFAULT_TARGET_SECONDS)));
        long now = System.nanoTime();
        Tracked tracked = active.get(token.listenId());
        if (tracked == null) {
            ListenRequest listen = ListenRequest.builder(sourceId).listenId(token.listenId())
                    .occurredAt(token.start()).clientIp(captures.clientAddress(request))
                    .userAgent(request.getHeader("User-Agent")).referrer(token.referrer()).build();
            if (activeCount.get() >= maxActive) {
                untracked.increment();
                logger.log(listen);
                logger.progress(token.listenId(), Duration.ofSeconds(seconds));
                return;
            }
            Tracked fresh = new Tracked(now);
            tracked = active.putIfAbsent(token.listenId(), fresh);
            if (tracked == null) {
                tracked = fresh;
                activeCount.incrementAndGet();
                listens.increment();
                logger.log(listen);
                sweepEveryInterval();
            }
        }
        if (now - tracked.lastSeenNanos > SEEN_GRANULARITY_NANOS) {  // read-mostly: segments of one listen on many threads
            tracked.lastSeenNanos = now;
        }
        if (seconds > tracked.seconds) {
            tracked.seconds = seconds;
        }
    }

    private void sweepEveryInterval() {
        synchronized (sweepLock) {
            if (sweep == null) {
                sweep = reports.scheduler().scheduleAtFixedRate(this::sweep, interval.toNanos(), interval.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Reports the listening time that grew since the last sweep, and forgets the listens that stopped. */
    private void sweep() {
        long now = System.nanoTime();
        try {
            for (Iterator<Map.Entry<UUID, Tracked>> it = active.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<UUID, Tracked> entry = it.next();
                Tracked tracked = entry.getValue();
                long seconds = tracked.seconds;
                if (seconds > tracked.reported && logger.progress(entry.getKey(), Duration.ofSeconds(seconds))) {
                    tracked.reported = seconds;
                }
                if (now - tracked.lastSeenNanos > GAP.toNanos()) {
                    it.remove();
                    activeCount.decrementAndGet();
                    if (tracked.seconds > seconds) {  // a segment came while it was being forgotten
                        logger.progress(entry.getKey(), Duration.ofSeconds(tracked.seconds));
                    }
                }
            }
        } catch (RuntimeException e) {
            failures.warn("could not report HLS listening time", e);
        }
    }
}
