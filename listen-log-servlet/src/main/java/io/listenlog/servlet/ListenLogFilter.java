package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.internal.Checks;
import io.listenlog.servlet.internal.BeaconEndpoint;
import io.listenlog.servlet.internal.CaptureFailures;
import io.listenlog.servlet.internal.Captures;
import io.listenlog.servlet.internal.ClientAddresses;
import io.listenlog.servlet.internal.DownloadListens;
import io.listenlog.servlet.internal.HlsListens;
import io.listenlog.servlet.internal.InitParams;
import io.listenlog.servlet.internal.ListenPaths;
import io.listenlog.servlet.internal.ListenTokens;
import io.listenlog.servlet.internal.PageListens;
import io.listenlog.servlet.internal.PlayerScript;
import io.listenlog.servlet.internal.Playlists;
import io.listenlog.servlet.internal.ReportThread;
import io.listenlog.servlet.internal.StreamListens;
import io.listenlog.servlet.internal.TokenKeys;
import io.listenlog.servlet.internal.TrustedProxies;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Captures listens for a {@link ListenLogger} from the requests of a servlet application, in these ways:
 * <ul>
 *   <li><b>Player pages</b> {@code GET <prefix><id>} (default prefix {@code /listen/}). By default
 *   ({@link CountOn#PLAYBACK}) a page is no play yet: the filter puts a signed listen token in the request attribute
 *   {@link #LISTEN_TOKEN_ATTRIBUTE} for the page, and the play is logged when the page's player reports playing to
 *   {@code POST <prefix><id>/progress} (the script at {@link #SCRIPT_PATH} does). With {@link CountOn#PAGE_VIEW},
 *   every page served with a 2xx status is a play at once.</li>
 *   <li><b>Streams</b> the container serves under {@link Builder#streamPrefix}: a listen as long as its connection,
 *   when its response streams (a response of a few bytes is a probe).</li>
 *   <li><b>HLS live streams</b> under {@link Builder#hlsPrefix}: a listen per listener who fetches segments, across
 *   every instance the segments reach, as long as they keep fetching them.</li>
 *   <li><b>On-demand files</b> under {@link Builder#downloadPrefix}: IAB downloads, one per listener, file and UTC
 *   day once a minute of audio was served.</li>
 *   <li>Icecast's listener callbacks are {@link IcecastListenerServlet}'s.</li>
 * </ul>
 *
 * <p>A request counts when it is a {@code GET} (not {@code HEAD}, not a prefetch announced by {@code Sec-Purpose},
 * {@code Purpose}, {@code X-Moz} or Safari's {@code X-Purpose: preview}), its path inside the context is the prefix
 * followed by a decimal id in 1..{@link Long#MAX_VALUE}, and the host answers it with a 2xx status, for async requests
 * when they complete. Everything else passes through untouched.
 *
 * <p>Programmatic use: {@code ListenLogFilter.builder(listenLogger).trustedProxies("10.0.0.0/8").build()}.
 * Declarative use (web.xml, {@code ServletContext.addFilter(name, ListenLogFilter.class)}): the no-arg constructor,
 * the logger in the servlet context attribute {@link #LOGGER_ATTRIBUTE}, and the optional init-params
 * {@code path-prefix}, {@code trusted-proxies} (comma-separated), {@code count-on}, {@code stream-prefix},
 * {@code hls-prefix} and {@code download-prefix}. Register
 * it with async support so that async servlets behind it keep working. The filter never closes the logger: its owner
 * does.
 */
public final class ListenLogFilter implements Filter {

    /** The servlet context attribute a declaratively registered filter takes its {@link ListenLogger} from. */
    public static final String LOGGER_ATTRIBUTE = "io.listenlog.servlet.ListenLogger";

    /**
     * The request attribute that holds, on a counted {@code GET <prefix><id>}, the signed listen token the page hands
     * to the player script ({@code data-listen-token}): the host's template reads it.
     */
    public static final String LISTEN_TOKEN_ATTRIBUTE = "io.listenlog.servlet.listenToken";
    /** The environment variable a filter without {@link Builder#tokenKey} takes its token key from. */
    public static final String TOKEN_KEY_VARIABLE = "LISTEN_LOG_TOKEN_KEY";
    /** Where the filter serves the player script, inside the context. */
    public static final String SCRIPT_PATH = "/listen-log/listen-log.js";

    /** When a player page counts as a play. */
    public enum CountOn {
        /** Once the page's player script reports playing (the default): a page nobody plays is no listen. */
        PLAYBACK,
        /** At once, when the page is served: every page view is a play, as before listening time existed. */
        PAGE_VIEW
    }

    /**
     * The progress reports (beacons) the filter answered, since it was built.
     *
     * @param accepted    reports that were logged (204)
     * @param forged      tokens that are malformed or whose signature does not match (403)
     * @param wrongSource tokens of another source than the path's (403)
     * @param expired     tokens older than {@code maxListenDuration} (410)
     * @param badSeconds  seconds that are not a whole number, or more than the time since the listen started (400)
     * @param malformed   reports listen-log could not read: a body over 8 KB (413), another content type or charset
     *                    than a UTF-8 form (415), a broken {@code %} escape or a field given twice (400)
     */
    public record BeaconMetrics(long accepted, long forged, long wrongSource, long expired, long badSeconds,
                                long malformed) {

        /** The figures without {@code malformed}, as they were before it was counted. */
        public BeaconMetrics(long accepted, long forged, long wrongSource, long expired, long badSeconds) {
            this(accepted, forged, wrongSource, expired, badSeconds, 0);
        }
    }

    /**
     * The HLS requests the filter saw under {@link Builder#hlsPrefix}, since it was built, on this instance.
     *
     * @param playlists    playlists that passed with their listen token added to their URIs
     * @param segments     segment requests of a listen (valid token, 2xx answer)
     * @param listens      listens this instance logged at their first segment here (another instance that logs the
     *                     same listen again changes nothing: its listen id is written once)
     * @param unattributed segment requests without a valid token: served, and no listen's
     * @param untracked    segment requests of listens beyond the {@value ListenLogFilter#MAX_HLS_LISTENS} this
     *                     instance follows at once: logged and reported at each segment instead of every progress
     *                     interval
     * @param active       listens this instance follows now (forgotten 30 s after their last segment here)
     */
    public record HlsMetrics(long playlists, long segments, long listens, long unattributed, long untracked,
                             int active) {
    }

    /**
     * The file requests the filter saw under {@link Builder#downloadPrefix}, since it was built, on this instance.
     *
     * @param requests  file requests answered with a 2xx that served bytes
     * @param downloads downloads this instance logged (another instance that logs the same one changes nothing)
     * @param untracked requests beyond the {@value ListenLogFilter#MAX_DOWNLOADS_PER_DAY} downloads this instance
     *                  follows in a UTC day, counted by their own bytes alone
     * @param tracked   downloads this instance follows today
     */
    public record DownloadMetrics(long requests, long downloads, long untracked, int tracked) {
    }

    /** The most downloads one filter follows in a UTC day; memory stays bounded however many listeners fetch. */
    public static final int MAX_DOWNLOADS_PER_DAY = DownloadListens.MAX_TRACKED;

    /** The {@code extra} key that names a download's file. */
    public static final String DOWNLOAD_EXTRA_KEY = DownloadListens.EXTRA_KEY;

    /** The query parameter that carries the listen token on the HLS playlist and segment URIs the filter hands out. */
    public static final String HLS_TOKEN_PARAMETER = Playlists.TOKEN_PARAMETER;

    /** The most HLS listens one filter follows at once; memory stays under about 20 MB however many fetch. */
    public static final int MAX_HLS_LISTENS = HlsListens.MAX_ACTIVE;

    private static final String DEFAULT_PATH_PREFIX = "/listen/";
    private static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(ListenLogFilter.class);

    private final CaptureFailures failures = new CaptureFailures(LOG);
    private volatile @Nullable Parts parts;

    /** The internal parts the filter dispatches to, made from one configuration. */
    private record Parts(Settings settings, BeaconEndpoint beacon, PageListens pages, StreamListens streams,
                         HlsListens hls, DownloadListens downloads, ReportThread reports) {
    }

    /** For declarative registration: {@link #init} configures the filter from the servlet context. */
    public ListenLogFilter() {
    }

    private ListenLogFilter(Settings settings) {
        apply(settings);
    }

    private void apply(Settings s) {
        Captures captures = new Captures(new ClientAddresses(s.trustedProxies, LOG), s.optOut, s.logger.clock());
        BeaconEndpoint beacon = new BeaconEndpoint(s.logger, s.pathPrefix, s.tokens, s.countOn == CountOn.PLAYBACK,
                s.maxListenDuration, s.logger.clock(), captures::clientAddress,
                e -> failures.warn("could not log a progress report", e));
        ReportThread reports = new ReportThread();
        parts = new Parts(s, beacon,
                new PageListens(s.logger, s.pathPrefix, s.tokens, LISTEN_TOKEN_ATTRIBUTE, captures, failures),
                new StreamListens(s.logger, s.streamPrefix, s.progressInterval, captures, failures, reports),
                new HlsListens(s.logger, s.hlsPrefix, s.tokens, s.maxListenDuration, s.progressInterval, captures,
                        failures, reports, HlsListens.MAX_ACTIVE),
                new DownloadListens(s.logger, s.downloadPrefix, s.downloadMinimumBytes, s.tokens, captures, failures,
                        DownloadListens.MAX_TRACKED),
                reports);
    }

    /** Starts a programmatic configuration around {@code listenLogger}. */
    public static Builder builder(ListenLogger listenLogger) {
        return new Builder(listenLogger);
    }

    /**
     * A filter made by the builder is already configured and accepts no init-params. One made with the no-arg
     * constructor takes its logger from {@link #LOGGER_ATTRIBUTE} and reads {@code path-prefix} and
     * {@code trusted-proxies}.
     *
     * @throws ServletException when the logger is missing or a parameter is invalid
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        InitParams params = InitParams.of(config);
        if (parts != null) {
            if (params.any()) {
                throw new ServletException("ListenLogFilter '" + config.getFilterName() + "' was made with "
                        + "ListenLogFilter.builder(...), which holds its whole configuration, but was also given the "
                        + "init-params " + InitParams.NAMES + ": set them on the builder instead (pathPrefix, "
                        + "trustedProxies, countOn, streamPrefix, hlsPrefix, downloadPrefix)");
            }
            return;
        }
        Object logger = config.getServletContext().getAttribute(LOGGER_ATTRIBUTE);
        if (!(logger instanceof ListenLogger listenLogger)) {
            throw new ServletException("ListenLogFilter '" + config.getFilterName() + "' needs a ListenLogger in "
                    + "the servlet context attribute \"" + LOGGER_ATTRIBUTE + "\", but found "
                    + (logger == null ? "none" : "a " + logger.getClass().getName()) + ". Build the logger in a "
                    + "ServletContextListener and call servletContext.setAttribute(ListenLogFilter.LOGGER_ATTRIBUTE, "
                    + "logger) in contextInitialized, or register ListenLogFilter.builder(logger).build() instead");
        }
        try {
            apply(new Settings(listenLogger, params.pathPrefixOr(DEFAULT_PATH_PREFIX),
                    TrustedProxies.parseList(params.trustedProxies()), request -> false,
                    params.countsOnPlayback() ? CountOn.PLAYBACK : CountOn.PAGE_VIEW,
                    tokens(null, listenLogger, listenLogger.maxListenDuration()), listenLogger.maxListenDuration(),
                    params.streamPrefixOrNone(), params.hlsPrefixOrNone(), params.downloadPrefixOrNone(), 0,
                    DEFAULT_PROGRESS_INTERVAL));
        } catch (IllegalArgumentException e) {
            throw new ServletException("ListenLogFilter '" + config.getFilterName() + "' has an invalid init-param: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Parts p = parts;
        if (p == null) {
            throw new IllegalStateException("ListenLogFilter was made with its no-arg constructor but init(FilterConfig)"
                    + " was never called; use ListenLogFilter.builder(listenLogger).build() outside a servlet container");
        }
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        String path = Captures.pathInContext(http);
        if (SCRIPT_PATH.equals(path) && "GET".equals(http.getMethod())) {
            PlayerScript.serve(SCRIPT_PATH, httpResponse);
            return;
        }
        if (p.beacon.serve(path, http, httpResponse) || p.streams.serve(path, http, httpResponse, chain)
                || p.hls.serve(path, http, httpResponse, chain) || p.downloads.serve(path, http, httpResponse, chain)) {
            return;
        }
        ListenRequest listen = p.pages.capture(path, http);
        chain.doFilter(request, response);
        if (listen != null && p.settings.countOn == CountOn.PAGE_VIEW) {
            p.pages.logWhenAnswered(listen, http, httpResponse);
        }
    }

    /** Stops reporting the progress of streams; the logger stays open (its owner closes it). */
    @Override
    public void destroy() {
        Parts p = parts;
        if (p != null) {
            p.reports.stop();
        }
    }

    /** The progress reports this filter answered so far; all zero before {@code init} of a declared filter. */
    public BeaconMetrics beaconMetrics() {
        Parts p = parts;
        if (p == null) {
            return new BeaconMetrics(0, 0, 0, 0, 0, 0);
        }
        BeaconEndpoint b = p.beacon;
        return new BeaconMetrics(b.accepted.sum(), b.forged.sum(), b.wrongSource.sum(), b.expired.sum(),
                b.badSeconds.sum(), b.malformed.sum());
    }

    /** The HLS requests this filter saw so far; all zero before {@code init} of a declared filter. */
    public HlsMetrics hlsMetrics() {
        Parts p = parts;
        if (p == null) {
            return new HlsMetrics(0, 0, 0, 0, 0, 0);
        }
        HlsListens h = p.hls;
        return new HlsMetrics(h.playlists.sum(), h.segments.sum(), h.listens.sum(), h.unattributed.sum(),
                h.untracked.sum(), h.active());
    }

    /** The file requests this filter saw so far; all zero before {@code init} of a declared filter. */
    public DownloadMetrics downloadMetrics() {
        Parts p = parts;
        if (p == null) {
            return new DownloadMetrics(0, 0, 0, 0);
        }
        DownloadListens d = p.downloads;
        return new DownloadMetrics(d.requests.sum(), d.downloads.sum(), d.untracked.sum(), d.tracked());
    }

    private static ListenTokens tokens(@Nullable String key, ListenLogger logger, Duration maxListenDuration) {
        return TokenKeys.tokens(key, TOKEN_KEY_VARIABLE, logger, maxListenDuration, LOG);
    }

    private record Settings(ListenLogger logger, String pathPrefix, TrustedProxies trustedProxies,
                            Predicate<HttpServletRequest> optOut, CountOn countOn, ListenTokens tokens,
                            Duration maxListenDuration, @Nullable String streamPrefix, @Nullable String hlsPrefix,
                            @Nullable String downloadPrefix, long downloadMinimumBytes, Duration progressInterval) {
    }

    /** Configures a {@link ListenLogFilter} programmatically. */
    public static final class Builder {
        private final ListenLogger logger;
        private String pathPrefix = DEFAULT_PATH_PREFIX;
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private Predicate<HttpServletRequest> optOut = request -> false;
        private CountOn countOn = CountOn.PLAYBACK;
        private @Nullable String tokenKey;
        private @Nullable Duration maxListenDuration;
        private @Nullable String streamPrefix;
        private @Nullable String hlsPrefix;
        private @Nullable String downloadPrefix;
        private long downloadMinimumBytes;
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;

        private Builder(ListenLogger logger) {
            this.logger = Objects.requireNonNull(logger, "listenLogger");
        }

        /**
         * The path inside the context that precedes the source id; default {@code /listen/}.
         *
         * @throws IllegalArgumentException unless it starts and ends with {@code /}
         */
        public Builder pathPrefix(String pathPrefix) {
            this.pathPrefix = ListenPaths.checkPrefix(pathPrefix, "pathPrefix");
            return this;
        }

        /**
         * The reverse proxies whose {@code X-Forwarded-For} and {@code Forwarded} headers are believed, as CIDR
         * blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or single addresses ({@code 127.0.0.1}). Replaces any
         * earlier call; none by default, so the client is the TCP peer.
         *
         * @throws IllegalArgumentException for an entry that is not an IP address or CIDR block (host names are not
         *                                  accepted)
         */
        public Builder trustedProxies(String... cidrs) {
            Objects.requireNonNull(cidrs, "cidrs");
            this.trustedProxies = TrustedProxies.parse(cidrs);
            return this;
        }

        /**
         * The listener's opt-out, wired to the host's own control (a cookie, a setting of the signed-in user): a
         * request it answers {@code true} for is not logged at all. It runs on the request thread, before the host's
         * servlet; one that throws counts as an opt-out. Default: nobody has opted out.
         */
        public Builder optOut(Predicate<HttpServletRequest> optOut) {
            this.optOut = Objects.requireNonNull(optOut, "optOut");
            return this;
        }

        /**
         * When a player page counts as a play: {@link CountOn#PLAYBACK} (default) once its player script reports
         * playing, or {@link CountOn#PAGE_VIEW} at once. Init-param {@code count-on}: {@code playback} or
         * {@code page-view}.
         */
        public Builder countOn(CountOn countOn) {
            this.countOn = Objects.requireNonNull(countOn, "countOn");
            return this;
        }

        /**
         * The key that signs listen tokens, the same on every instance of the deployment (at least 16 characters:
         * {@code openssl rand -hex 32}). Default: {@value #TOKEN_KEY_VARIABLE}, else one derived from
         * {@code LISTEN_LOG_SALT}, else a random key of this instance (then reports reaching another instance are
         * refused).
         */
        public Builder tokenKey(String tokenKey) {
            this.tokenKey = Objects.requireNonNull(tokenKey, "tokenKey");
            return this;
        }

        /**
         * Where the streams the container serves live: a {@code GET <streamPrefix><id>} is a listen whose duration is
         * the connection's lifetime, logged when the response starts, reported every {@link #progressInterval}, and a
         * last time when it completes, fails or the client disconnects. The response decides, not the request's
         * {@code Range}: a 2xx that declares a {@code Content-Length} of at most 64 KiB (a {@code bytes=0-1} or
         * {@code bytes=-500} answered as asked) is a probe, not a listen; one that streams, or declares more, is a
         * listen. Init-param {@code stream-prefix}; none by default.
         *
         * @throws IllegalArgumentException unless it starts and ends with {@code /}
         */
        public Builder streamPrefix(String streamPrefix) {
            this.streamPrefix = ListenPaths.checkPrefix(streamPrefix, "streamPrefix");
            return this;
        }

        /**
         * Where the HLS live streams live: {@code <hlsPrefix><id>/<name>.m3u8} are a source's playlists and every
         * other {@code <hlsPrefix><id>/<name>} its segments (the host, a packager's output folder or a proxy serves
         * them). A playlist requested without a listen token is answered {@code 302} to itself with one (query
         * parameter {@code lt}); with one, it passes with the token added to every URI of this site in it. A listen
         * is logged at the first segment a token's listener fetches (a playlist alone, a preview or a crawler, is
         * none) and lasts from the playlist request to the last segment request plus the playlist's
         * {@code EXT-X-TARGETDURATION}; its time is reported every {@link #progressInterval}, by whichever instances
         * its segments reached. Init-param {@code hls-prefix}; none by default.
         *
         * @throws IllegalArgumentException unless it starts and ends with {@code /}
         */
        public Builder hlsPrefix(String hlsPrefix) {
            this.hlsPrefix = ListenPaths.checkPrefix(hlsPrefix, "hlsPrefix");
            return this;
        }

        /**
         * Where the on-demand files live (catch-up shows, podcast episodes): a {@code GET <downloadPrefix><id>/<file>}
         * is a request for source {@code <id>}'s file {@code <file>}, whoever serves it (the container's default
         * servlet, the host's). As the IAB Tech Lab's Podcast Measurement Technical Guidelines count, the requests of
         * one listener (the logger's {@link ListenLogger#listenerIdentity()}) for one file within a UTC day are one
         * download, which counts once at least a minute of audio has been served across them: the bytes its 2xx
         * responses carried, against the file's bitrate (read from an MP3's first frame; 128 kbit/s when unknown) or
         * {@link #downloadMinimumBytes}. So {@code HEAD}, a {@code Range: bytes=0-1} probe and a second fetch the same
         * day add nothing. A download is logged as a listen of the source with {@code extra} {@code {"download":
         * "<file>"}} and no listening time (a file fetched is not a file heard). Init-param
         * {@code download-prefix}; none by default.
         *
         * @throws IllegalArgumentException unless it starts and ends with {@code /}
         */
        public Builder downloadPrefix(String downloadPrefix) {
            this.downloadPrefix = ListenPaths.checkPrefix(downloadPrefix, "downloadPrefix");
            return this;
        }

        /**
         * The bytes served that make a download, whatever the file's bitrate; default: a minute of audio at the
         * file's bitrate.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder downloadMinimumBytes(long downloadMinimumBytes) {
            if (downloadMinimumBytes <= 0) {
                throw new IllegalArgumentException("downloadMinimumBytes must be positive, got "
                        + downloadMinimumBytes + ": leave it unset to count a minute of audio at the file's bitrate");
            }
            this.downloadMinimumBytes = downloadMinimumBytes;
            return this;
        }

        /** How often a stream's listening time is reported while it lasts; default 60 s. */
        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = Checks.positive(progressInterval, "progressInterval");
            return this;
        }

        /** How long a listen token is accepted; default the logger's {@code maxListenDuration} (24 h unless set). */
        public Builder maxListenDuration(Duration maxListenDuration) {
            this.maxListenDuration = Checks.positive(maxListenDuration, "maxListenDuration");
            return this;
        }

        /**
         * @throws IllegalArgumentException when the token key is shorter than 16 characters
         */
        public ListenLogFilter build() {
            Duration maxListenDuration = this.maxListenDuration != null ? this.maxListenDuration
                    : logger.maxListenDuration();
            return new ListenLogFilter(new Settings(logger, pathPrefix, trustedProxies, optOut, countOn,
                    tokens(tokenKey, logger, maxListenDuration), maxListenDuration, streamPrefix, hlsPrefix,
                    downloadPrefix, downloadMinimumBytes, progressInterval));
        }
    }
}
