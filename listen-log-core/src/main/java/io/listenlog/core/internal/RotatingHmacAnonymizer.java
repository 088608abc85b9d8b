package io.listenlog.core.internal;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.IpPrecision;
import org.jspecify.annotations.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
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
 * HMAC-SHA256 under a key of the event's UTC day. Addresses of days older than the grace period, or whose key the
 * store has destroyed, hash to {@code null}, and no key of such a day stays in this process's caches. Destroying keys
 * in the store is a scheduled job's work ({@link DailyKeyStore#destroyBefore}), never this class's.
 */
public final class RotatingHmacAnonymizer implements IpAnonymizer, KeyDeriving {
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final DailyKeyStore keys;
    private final IpPrecision precision;
    private final long graceDays;
    private final Clock clock;
    private final Map<LocalDate, SecretKeySpec> cache = new ConcurrentHashMap<>();
    /** The last day's initialized Mac per thread: a writer thread hashes mostly one day at a time. */
    private final ThreadLocal<DayMac> macs = new ThreadLocal<>();
    private volatile LocalDate evictedBefore = LocalDate.MIN;

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
    public @Nullable String anonymize(@Nullable String clientIp) {
        return anonymize(clientIp, clock.instant());
    }

    @Override
    public @Nullable String anonymize(@Nullable String clientIp, Instant occurredAt) {
        byte[] address = InetAddresses.parse(clientIp);
        if (address == null) {
            return null;
        }
        LocalDate day = LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
        LocalDate oldestKept = oldestKept();
        evictExpired(oldestKept);
        if (day.isBefore(oldestKept)) {
            return null;
        }
        Mac mac = macFor(day);
        if (mac == null) {
            return null;
        }
        if (precision == IpPrecision.NETWORK) {
            InetAddresses.truncateToNetwork(address);
        }
        return HEX.formatHex(mac.doFinal(address));
    }

    /** The day's initialized Mac, or {@code null} when the store has destroyed the day's key. */
    private @Nullable Mac macFor(LocalDate day) {
        DayMac current = macs.get();
        if (current != null && current.day().equals(day)) {
            return current.mac();
        }
        SecretKeySpec key = keyOf(day);
        if (key == null) {
            return null;
        }
        Mac mac = newMac(key);
        macs.set(new DayMac(day, mac));
        return mac;
    }

    /** The day's key, from the cache or the store; {@code null} when the store has destroyed it. */
    private @Nullable SecretKeySpec keyOf(LocalDate day) {
        SecretKeySpec key = cache.get(day);
        if (key == null) {
            byte[] bytes = keys.keyFor(day);
            if (bytes == null) {
                return null;
            }
            key = cache.computeIfAbsent(day, d -> new SecretKeySpec(bytes, ALGORITHM));
        }
        return key;
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    private LocalDate oldestKept() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(graceDays);
    }

    private record DayMac(LocalDate day, Mac mac) {
    }

    /** Forgets keys of days past the grace, here and in this thread's Mac; other threads' Macs are checked on use. */
    private void evictExpired(LocalDate oldestKept) {
        if (oldestKept.isAfter(evictedBefore)) {
            cache.keySet().removeIf(day -> day.isBefore(oldestKept));
            evictedBefore = oldestKept;
        }
        DayMac current = macs.get();
        if (current != null && current.day().isBefore(oldestKept)) {
            macs.remove();
        }
    }

    @Override
    public byte @Nullable [] derivedKey(String purpose, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        if (day.isBefore(oldestKept())) {
            return null;
        }
        SecretKeySpec key = keyOf(day);
        // Its own Mac: the thread's cached one belongs to hashing.
        return key == null ? null : newMac(key).doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "IpAnonymizer[dailyRotating, " + precision + ", grace " + graceDays + "d]";
    }
}
