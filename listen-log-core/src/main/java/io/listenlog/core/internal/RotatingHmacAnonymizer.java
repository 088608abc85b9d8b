package io.listenlog.core.internal;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.IpPrecision;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HMAC-SHA256 under a key of the event's UTC day. Keys of days older than the grace period are destroyed, in the
 * store and in this process, and addresses of such days hash to {@code null}.
 */
public final class RotatingHmacAnonymizer implements IpAnonymizer {
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final DailyKeyStore keys;
    private final IpPrecision precision;
    private final long graceDays;
    private final Clock clock;
    private final Map<LocalDate, SecretKeySpec> cache = new ConcurrentHashMap<>();
    /** The last day's initialized Mac per thread: a writer thread hashes mostly one day at a time. */
    private final ThreadLocal<DayMac> macs = new ThreadLocal<>();
    private volatile LocalDate lastDestroyedBefore = LocalDate.MIN;

    public RotatingHmacAnonymizer(DailyKeyStore keys, IpPrecision precision, Duration keyGrace, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.precision = Objects.requireNonNull(precision, "precision");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(keyGrace, "keyGrace");
        if (keyGrace.isNegative() || keyGrace.toDays() > 30) {
            throw new IllegalArgumentException("keyGrace must be between 0 and 30 days, got " + keyGrace);
        }
        this.graceDays = keyGrace.toDays();
    }

    @Override
    public String anonymize(String clientIp) {
        return anonymize(clientIp, clock.instant());
    }

    @Override
    public String anonymize(String clientIp, Instant occurredAt) {
        byte[] address = InetAddresses.parse(clientIp);
        if (address == null) {
            return null;
        }
        LocalDate day = LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
        LocalDate oldestKept = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(graceDays);
        destroyExpired(oldestKept);
        if (day.isBefore(oldestKept)) {
            return null;
        }
        if (precision == IpPrecision.NETWORK) {
            InetAddresses.truncateToNetwork(address);
        }
        return HEX.formatHex(macFor(day).doFinal(address));
    }

    private Mac macFor(LocalDate day) {
        DayMac current = macs.get();
        if (current != null && current.day().equals(day)) {
            return current.mac();
        }
        SecretKeySpec key = cache.computeIfAbsent(day, d -> new SecretKeySpec(keys.keyFor(d), ALGORITHM));
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            macs.set(new DayMac(day, mac));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    private record DayMac(LocalDate day, Mac mac) {
    }

    private void destroyExpired(LocalDate oldestKept) {
        if (!oldestKept.isAfter(lastDestroyedBefore)) {
            return;
        }
        synchronized (this) {
            if (oldestKept.isAfter(lastDestroyedBefore)) {
                cache.keySet().removeIf(day -> day.isBefore(oldestKept));
                keys.destroyBefore(oldestKept);
                lastDestroyedBefore = oldestKept;
            }
        }
    }

    @Override
    public String toString() {
        return "IpAnonymizer[dailyRotating, " + precision + ", grace " + graceDays + "d]";
    }
}
