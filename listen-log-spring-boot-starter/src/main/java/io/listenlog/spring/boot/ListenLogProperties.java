package io.listenlog.spring.boot;

import io.listenlog.core.IpPrecision;
import io.listenlog.core.OverflowPolicy;
import io.listenlog.core.ListenerIdentity;
import io.listenlog.core.PrivacyPreset;
import io.listenlog.servlet.ListenLogFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code listenlog.*} properties of the starter: one for every setting of the library's builders, with the
 * library's defaults. Invalid values stop the application at startup with the property's name (and never a secret's
 * value).
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

    /** Plays the queue holds before the overflow policy applies. */
    private int queueCapacity = 16384;

    /**
     * Events per database write; at most queue-capacity. While a backlog waits, up to 8 times as many (at most
     * 16384).
     */
    private int batchSize = 1000;

    /** How long the writer waits to fill a batch. */
    private Duration maxBatchDelay = Duration.ofMillis(100);

    /** What a full queue does to a play: DROP (counted) or BLOCK the request for block-timeout. */
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;

    /** With BLOCK, the longest a request waits for queue space before the play is a counted drop. */
    private Duration blockTimeout = Duration.ofSeconds(1);

    /** How long shutdown waits for queued listens to be written. */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * The longest listening time one listen records; also how long a listen token is accepted, how long Icecast
     * listeners wait for their removal, and how far before a day the audience figures look for sessions into it.
     */
    private Duration maxListenDuration = Duration.ofHours(24);

    /** Whether referrers keep their query string (it is cut by default, as it often carries personal data). */
    private boolean keepReferrerQuery;

    /** User agents longer than this many characters are cut (at most 2048). */
    private int maxUserAgentLength = 512;

    /** Referrers longer than this many characters are cut (at most 4096). */
    private int maxReferrerLength = 1024;

    /**
     * A privacy preset switched on as one, for the logger and retention: CNIL_AUDIENCE_MEASUREMENT (see
     * docs/privacy.md). None by default.
     */
    private @Nullable PrivacyPreset privacyPreset;

    /**
     * What makes two listens one listener in unique listeners, AQH and TSL: ADDRESS_AND_USER_AGENT (the IAB rule) or
     * ADDRESS (the address alone). Listens keep the rule they were logged with.
     */
    private ListenerIdentity listenerIdentity = ListenerIdentity.ADDRESS_AND_USER_AGENT;

    /**
     * Reverse proxies whose X-Forwarded-For and Forwarded headers the listen filter believes, as CIDR blocks or
     * addresses. Leave empty when server.forward-headers-strategy is NATIVE or FRAMEWORK: the server then resolves the
     * client address itself, and setting both is refused at startup.
     */
    private List<String> trustedProxies = new ArrayList<>();

    private final RetryBackoff retryBackoff = new RetryBackoff();
    private final Audience audience = new Audience();
    private final Clients clients = new Clients();
    private final Countries countries = new Countries();
    private final Anonymizer anonymizer = new Anonymizer();
    private final Icecast icecast = new Icecast();
    private final Redis redis = new Redis();
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

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
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

    public boolean isKeepReferrerQuery() {
        return keepReferrerQuery;
    }

    public void setKeepReferrerQuery(boolean keepReferrerQuery) {
        this.keepReferrerQuery = keepReferrerQuery;
    }

    public int getMaxUserAgentLength() {
        return maxUserAgentLength;
    }

    public void setMaxUserAgentLength(int maxUserAgentLength) {
        this.maxUserAgentLength = maxUserAgentLength;
    }

    public int getMaxReferrerLength() {
        return maxReferrerLength;
    }

    public void setMaxReferrerLength(int maxReferrerLength) {
        this.maxReferrerLength = maxReferrerLength;
    }

    public ListenerIdentity getListenerIdentity() {
        return listenerIdentity;
    }

    public void setListenerIdentity(ListenerIdentity listenerIdentity) {
        this.listenerIdentity = listenerIdentity;
    }

    public Countries getCountries() {
        return countries;
    }

    public @Nullable PrivacyPreset getPrivacyPreset() {
        return privacyPreset;
    }

    public void setPrivacyPreset(PrivacyPreset privacyPreset) {
        this.privacyPreset = privacyPreset;
    }

    public RetryBackoff getRetryBackoff() {
        return retryBackoff;
    }

    public Audience getAudience() {
        return audience;
    }

    public Clients getClients() {
        return clients;
    }

    public Icecast getIcecast() {
        return icecast;
    }

    public Redis getRedis() {
        return redis;
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

    /** The wait before retrying a transiently failed write, doubling (with jitter) up to max. */
    public static class RetryBackoff {

        /** The first wait. */
        private Duration initial = Duration.ofMillis(100);

        /** The longest wait. */
        private Duration max = Duration.ofSeconds(30);

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        /** As a refused value is shown: {@code initial 100ms, max 30s}. */
        @Override
        public String toString() {
            return "initial " + initial + ", max " + max;
        }
    }

    /**
     * Who counts in the audience figures, for the statistics, the daily roll-ups of retention and the dashboard
     * alike (with listenlog.max-listen-duration).
     */
    public static class Audience {

        /** The shortest listen that counts as a session (Webcast Metrics' one minute). */
        private Duration minimumListen = Duration.ofMinutes(1);

        public Duration getMinimumListen() {
            return minimumListen;
        }

        public void setMinimumListen(Duration minimumListen) {
            this.minimumListen = minimumListen;
        }
    }

    /** How players are told from bots: the OPAWG lists shipped in listen-log, a newer copy, the station's own rules. */
    public static class Clients {

        /**
         * A directory holding a newer copy of the OPAWG user-agents-v2 lists (bots.json, apps.json, libraries.json,
         * browsers.json, devices.json and, optionally, referrers.json), read at startup instead of the shipped ones.
         */
        private @Nullable Path lists;

        /**
         * A JSON file of the station's own rules, asked before the lists: {"entries": [{"name": "...", "pattern":
         * "a regular expression", "bot": true}]}.
         */
        private @Nullable Path rules;

        public @Nullable Path getLists() {
            return lists;
        }

        public void setLists(Path lists) {
            this.lists = lists;
        }

        public @Nullable Path getRules() {
            return rules;
        }

        public void setRules(Path rules) {
            this.rules = rules;
        }
    }

    /** Where listeners are: a MaxMind DB file (DB-IP Lite, GeoLite2) the writer looks addresses up in. */
    public static class Countries {

        /**
         * The .mmdb file (DB-IP Lite Country or City, GeoLite2 Country or City) that gives each listen its country
         * and region; needs io.listenlog:listen-log-geoip. Replaced files are reopened within a minute. None by
         * default: no countries.
         */
        private @Nullable Path database;

        public @Nullable Path getDatabase() {
            return database;
        }

        public void setDatabase(Path database) {
            this.database = database;
        }
    }

    /** The Icecast 2.4 listener callbacks (IcecastListenerServlet), for stations that stream from Icecast. */
    public static class Icecast {

        /** Whether the callback servlet is registered (servlet web applications only). */
        private boolean enabled;

        /** Where the callbacks are answered: Icecast's listener_add and listener_remove options point here. */
        private String path = "/icecast";

        /** The Icecast servers, as CIDR blocks or addresses; callbacks from elsewhere get 403. */
        private List<String> addresses = new ArrayList<>(List.of("127.0.0.1", "::1"));

        /** Mount and the radio_source id its listeners count for: listenlog.icecast.mounts[/radio1]=1. */
        private Map<String, Long> mounts = new LinkedHashMap<>();

        /** Whether listeners of other mounts are admitted (not logged); refused by default. */
        private boolean admitUnknownMounts;

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

        public List<String> getAddresses() {
            return addresses;
        }

        public void setAddresses(List<String> addresses) {
            this.addresses = addresses;
        }

        public Map<String, Long> getMounts() {
            return mounts;
        }

        public void setMounts(Map<String, Long> mounts) {
            this.mounts = mounts;
        }

        public boolean isAdmitUnknownMounts() {
            return admitUnknownMounts;
        }

        public void setAdmitUnknownMounts(boolean admitUnknownMounts) {
            this.admitUnknownMounts = admitUnknownMounts;
        }
    }

    /**
     * The Redis Streams path of listen-log-redis: with a URI, the logger publishes to a stream instead of writing to
     * the database, and (unless turned off) a consumer in this instance stores what the stream holds.
     */
    public static class Redis {

        /** The Redis server, redis://[user:password@]host:port[/database]; none by default (the database path). */
        private @Nullable String uri;

        /** The stream plays and progress updates go through. */
        private String stream = "listen-log:events";

        /** The approximate length the stream is trimmed to. */
        private long maxLength = 1_000_000;

        /** The timeout of one Redis command. */
        private Duration commandTimeout = Duration.ofSeconds(5);

        /**
         * Whether start-up fails while Redis cannot be reached; by default the store and the consumer start anyway
         * and connect once Redis is back (plays wait in the logger's queue meanwhile).
         */
        private boolean failFast;

        private final Consumer consumer = new Consumer();

        public @Nullable String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getStream() {
            return stream;
        }

        public void setStream(String stream) {
            this.stream = stream;
        }

        public long getMaxLength() {
            return maxLength;
        }

        public void setMaxLength(long maxLength) {
            this.maxLength = maxLength;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        public Consumer getConsumer() {
            return consumer;
        }

        public boolean isFailFast() {
            return failFast;
        }

        public void setFailFast(boolean failFast) {
            this.failFast = failFast;
        }

        /** The consumer that writes the stream's entries to the database (one per instance is safe: a group). */
        public static class Consumer {

            /** Whether this instance consumes the stream. */
            private boolean enabled = true;

            /** The consumer group. */
            private String group = "listen-log";

            /** This consumer's name in the group; by default one made from the process id and a random part. */
            private @Nullable String name;

            /** Where entries go after max-deliveries failed attempts; by default the stream's name + ":dead". */
            private @Nullable String deadLetterStream;

            /** Entries read per round. */
            private int batchSize = 500;

            /** How long one read waits for entries. */
            private Duration block = Duration.ofSeconds(1);

            /** How long an entry may stay unacknowledged by a consumer before another claims it. */
            private Duration claimIdle = Duration.ofSeconds(60);

            /** Deliveries of an entry before it is dead-lettered. */
            private int maxDeliveries = 5;

            /** The most entries the dead-letter stream keeps; beyond it the oldest are removed, counted and logged. */
            private long deadLetterMaxLength = 100_000;

            public long getDeadLetterMaxLength() {
                return deadLetterMaxLength;
            }

            public void setDeadLetterMaxLength(long deadLetterMaxLength) {
                this.deadLetterMaxLength = deadLetterMaxLength;
            }

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public String getGroup() {
                return group;
            }

            public void setGroup(String group) {
                this.group = group;
            }

            public @Nullable String getName() {
                return name;
            }

            public void setName(String name) {
                this.name = name;
            }

            public @Nullable String getDeadLetterStream() {
                return deadLetterStream;
            }

            public void setDeadLetterStream(String deadLetterStream) {
                this.deadLetterStream = deadLetterStream;
            }

            public int getBatchSize() {
                return batchSize;
            }

            public void setBatchSize(int batchSize) {
                this.batchSize = batchSize;
            }

            public Duration getBlock() {
                return block;
            }

            public void setBlock(Duration block) {
                this.block = block;
            }

            public Duration getClaimIdle() {
                return claimIdle;
            }

            public void setClaimIdle(Duration claimIdle) {
                this.claimIdle = claimIdle;
            }

            public int getMaxDeliveries() {
                return maxDeliveries;
            }

            public void setMaxDeliveries(int maxDeliveries) {
                this.maxDeliveries = maxDeliveries;
            }
        }
    }

    /** The audience dashboard of listen-log-dashboard, when it is on the class path (servlet applications only). */
    public static class Dashboard {

        /** Whether the dashboard is mounted; off unless set, as it shows business data. */
        private boolean enabled;

        /** Where it is mounted inside the context. */
        private String path = "/stats";

        /** The role a user needs to see it (HttpServletRequest.isUserInRole), for example station-manager. */
        private @Nullable String role;

        /** Show it to anybody who reaches it; set it explicitly, instead of a role. */
        private boolean publicAccess;

        /** The page's title. */
        private String title = "Listening";

        /**
         * The credit line under the dashboard's countries table, as the country database's licence asks. Defaults
         * to the credit of the listenlog.countries.database file (DB-IP Lite, GeoLite2).
         */
        private @Nullable String countriesCredit;

        public @Nullable String getCountriesCredit() {
            return countriesCredit;
        }

        public void setCountriesCredit(String countriesCredit) {
            this.countriesCredit = countriesCredit;
        }

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

        public @Nullable String getRole() {
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
        private @Nullable String key;

        /**
         * AUTO: the key when one is set, otherwise daily rotating keys kept in the database. KEY: the key, and startup
         * fails without one. DAILY: daily rotating keys in the database (unique listeners then count per day only).
         */
        private Mode mode = Mode.AUTO;

        /** How much of the address is hashed: FULL_ADDRESS, or NETWORK (IPv4 /24, IPv6 /64). */
        private IpPrecision precision = IpPrecision.FULL_ADDRESS;

        public @Nullable String getKey() {
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

        /**
         * The key that signs listen tokens (at least 16 characters, the same on every instance). Without it, the token
         * key is derived from the anonymization key or the day's key in the database, which instances already share.
         */
        private @Nullable String tokenKey;

        /** Where the streams the application serves live, such as /radio/: each GET is a listen as long as it lasts. */
        private @Nullable String streamPrefix;

        /**
         * Where the HLS live streams live, such as /hls/: a source's playlists and segments are under
         * &lt;hls-prefix&gt;&lt;id&gt;/, and each listener who fetches segments is one listen as long as they keep coming.
         */
        private @Nullable String hlsPrefix;

        /**
         * Where the on-demand files live, such as /files/: &lt;download-prefix&gt;&lt;id&gt;/&lt;file&gt;, counted as IAB
         * downloads (one per listener, file and UTC day, once a minute of audio was served).
         */
        private @Nullable String downloadPrefix;

        /** The bytes served that make a download, whatever the file's bitrate; unset: a minute at its bitrate. */
        private @Nullable Long downloadMinimumBytes;

        /** How often a stream's listening time is reported while it lasts. */
        private Duration progressInterval = Duration.ofSeconds(60);

        public @Nullable String getTokenKey() {
            return tokenKey;
        }

        public void setTokenKey(String tokenKey) {
            this.tokenKey = tokenKey;
        }

        public @Nullable String getStreamPrefix() {
            return streamPrefix;
        }

        public void setStreamPrefix(String streamPrefix) {
            this.streamPrefix = streamPrefix;
        }

        public @Nullable String getHlsPrefix() {
            return hlsPrefix;
        }

        public void setHlsPrefix(String hlsPrefix) {
            this.hlsPrefix = hlsPrefix;
        }

        public @Nullable String getDownloadPrefix() {
            return downloadPrefix;
        }

        public void setDownloadPrefix(String downloadPrefix) {
            this.downloadPrefix = downloadPrefix;
        }

        public @Nullable Long getDownloadMinimumBytes() {
            return downloadMinimumBytes;
        }

        public void setDownloadMinimumBytes(Long downloadMinimumBytes) {
            this.downloadMinimumBytes = downloadMinimumBytes;
        }

        public Duration getProgressInterval() {
            return progressInterval;
        }

        public void setProgressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
        }

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

        /** Rows deleted per statement, so that a long deletion never holds one long lock. */
        private int deleteBatchSize = 5_000;

        /** How long after a UTC day ends it is rolled up, for late events and durations. */
        private Duration rollupDelay = Duration.ofHours(1);

        public int getDeleteBatchSize() {
            return deleteBatchSize;
        }

        public void setDeleteBatchSize(int deleteBatchSize) {
            this.deleteBatchSize = deleteBatchSize;
        }

        public Duration getRollupDelay() {
            return rollupDelay;
        }

        public void setRollupDelay(Duration rollupDelay) {
            this.rollupDelay = rollupDelay;
        }

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
