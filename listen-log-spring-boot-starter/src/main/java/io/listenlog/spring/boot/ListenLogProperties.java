package io.listenlog.spring.boot;

import io.listenlog.core.IpPrecision;
import io.listenlog.core.OverflowPolicy;
import io.listenlog.servlet.ListenLogFilter;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code listenlog.*} properties of the starter. A logger setting left unset keeps the library's default, which
 * each description names. Invalid values stop the application at startup with the property's name.
 */
@ConfigurationProperties("listenlog")
public class ListenLogProperties {

    /** Whether the starter configures listen-log at all. */
    private boolean enabled = true;

    /**
     * How the listen-log schema is migrated: AUTO adds it to the application's own Spring Boot Flyway when that runs
     * (versions 7.x, after the application's migration that creates radio_source), otherwise runs the library's own
     * Flyway with its history table listenlog_schema_history; LIBRARY always does the latter; NONE leaves it to the
     * application.
     */
    private MigrationMode migrations = MigrationMode.AUTO;

    /** Plays the queue holds before the overflow policy applies (library default 16384). */
    private Integer queueCapacity;

    /** Events per database write (library default 1000). */
    private Integer batchSize;

    /** How long the writer waits to fill a batch (library default 100ms). */
    private Duration maxBatchDelay;

    /** What a full queue does to a play: DROP (counted, the default) or BLOCK the request for block-timeout. */
    private OverflowPolicy overflowPolicy;

    /** With BLOCK, the longest a request waits for queue space before the play is a counted drop (default 1s). */
    private Duration blockTimeout;

    /** How long shutdown waits for queued listens to be written (library default 10s). */
    private Duration shutdownTimeout;

    /** The cap on one listen's recorded listening time (library default 24h). */
    private Duration maxListenDuration;

    /** Whether referrers keep their query string (library default false: it is cut, it often carries personal data). */
    private Boolean keepReferrerQuery;

    /**
     * Reverse proxies whose X-Forwarded-For and Forwarded headers the listen filter believes, as CIDR blocks or
     * addresses. Leave empty when server.forward-headers-strategy is NATIVE or FRAMEWORK: the server then resolves the
     * client address itself, and setting both is refused at startup.
     */
    private List<String> trustedProxies = new ArrayList<>();

    private final Anonymizer anonymizer = new Anonymizer();
    private final Filter filter = new Filter();
    private final Dashboard dashboard = new Dashboard();
    private final Retention retention = new Retention();
    private final Health health = new Health();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public MigrationMode getMigrations() {
        return migrations;
    }

    public void setMigrations(MigrationMode migrations) {
        this.migrations = migrations;
    }

    public Integer getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(Integer queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getMaxBatchDelay() {
        return maxBatchDelay;
    }

    public void setMaxBatchDelay(Duration maxBatchDelay) {
        this.maxBatchDelay = maxBatchDelay;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public Duration getBlockTimeout() {
        return blockTimeout;
    }

    public void setBlockTimeout(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getMaxListenDuration() {
        return maxListenDuration;
    }

    public void setMaxListenDuration(Duration maxListenDuration) {
        this.maxListenDuration = maxListenDuration;
    }

    public Boolean getKeepReferrerQuery() {
        return keepReferrerQuery;
    }

    public void setKeepReferrerQuery(Boolean keepReferrerQuery) {
        this.keepReferrerQuery = keepReferrerQuery;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public Anonymizer getAnonymizer() {
        return anonymizer;
    }

    public Filter getFilter() {
        return filter;
    }

    public Retention getRetention() {
        return retention;
    }

    public Health getHealth() {
        return health;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    /** The audience dashboard of listen-log-dashboard, when it is on the class path (servlet applications only). */
    public static class Dashboard {

        /** Whether the dashboard is mounted; off unless set, as it shows business data. */
        private boolean enabled;

        /** Where it is mounted inside the context. */
        private String path = "/stats";

        /** The role a user needs to see it (HttpServletRequest.isUserInRole), for example station-manager. */
        private String role;

        /** Show it to anybody who reaches it; set it explicitly, instead of a role. */
        private boolean publicAccess;

        /** The page's title. */
        private String title = "Listening";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getRole() {
            return role;
        }

        public void setRole(String role) {
            this.role = role;
        }

        public boolean isPublicAccess() {
            return publicAccess;
        }

        public void setPublicAccess(boolean publicAccess) {
            this.publicAccess = publicAccess;
        }

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }
    }

    /** See {@link ListenLogProperties#getMigrations()}. */
    public enum MigrationMode {
        AUTO, LIBRARY, NONE
    }

    /** How client addresses become pseudonyms. */
    public static class Anonymizer {

        /**
         * The HMAC key (at least 16 characters; generate one with openssl rand -hex 32). Falls back to the
         * environment variable LISTEN_LOG_SALT. Every instance of a deployment must use the same key.
         */
        private String key;

        /**
         * AUTO: the key when one is set, otherwise daily rotating keys kept in the database. KEY: the key, and startup
         * fails without one. DAILY: daily rotating keys in the database (unique listeners then count per day only).
         */
        private Mode mode = Mode.AUTO;

        /** How much of the address is hashed: FULL_ADDRESS, or NETWORK (IPv4 /24, IPv6 /64). */
        private IpPrecision precision = IpPrecision.FULL_ADDRESS;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public Mode getMode() {
            return mode;
        }

        public void setMode(Mode mode) {
            this.mode = mode;
        }

        public IpPrecision getPrecision() {
            return precision;
        }

        public void setPrecision(IpPrecision precision) {
            this.precision = precision;
        }

        /** See {@link Anonymizer#getMode()}. */
        public enum Mode {
            AUTO, KEY, DAILY
        }
    }

    /** The servlet filter that logs GET requests for a stream. */
    public static class Filter {

        /** Whether the filter is registered (servlet web applications only). */
        private boolean enabled = true;

        /** The path inside the context before the source id; it starts and ends with a slash. */
        private String pathPrefix = "/listen/";

        /** When a player page counts as a play: once its player script reports playing, or at once when served. */
        private ListenLogFilter.CountOn countOn = ListenLogFilter.CountOn.PLAYBACK;

        public ListenLogFilter.CountOn getCountOn() {
            return countOn;
        }

        public void setCountOn(ListenLogFilter.CountOn countOn) {
            this.countOn = countOn;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPathPrefix() {
            return pathPrefix;
        }

        public void setPathPrefix(String pathPrefix) {
            this.pathPrefix = pathPrefix;
        }
    }

    /** Daily roll-ups, deletion of old events and, with daily keys, destruction of old keys. */
    public static class Retention {

        /** Whether retention runs on a schedule in this instance (it is safe on every instance). */
        private boolean enabled = true;

        /** How long raw events are kept; roll-ups are kept for ever. */
        private Duration period = Duration.ofDays(90);

        /** Time between the end of one run and the start of the next; the first runs at startup. */
        private Duration interval = Duration.ofHours(1);

        /** With daily keys: whole days a key outlives its day before retention destroys it. */
        private Duration dailyKeyGrace = Duration.ofDays(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getDailyKeyGrace() {
            return dailyKeyGrace;
        }

        public void setDailyKeyGrace(Duration dailyKeyGrace) {
            this.dailyKeyGrace = dailyKeyGrace;
        }
    }

    /** The listenLog health indicator (when Spring Boot's health support is present). */
    public static class Health {

        /** How long store writes may keep failing before the indicator reports DOWN. */
        private Duration failingThreshold = Duration.ofMinutes(1);

        public Duration getFailingThreshold() {
            return failingThreshold;
        }

        public void setFailingThreshold(Duration failingThreshold) {
            this.failingThreshold = failingThreshold;
        }
    }
}
