package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DailyRotatingAnonymizerTest {
    private static final Instant DAY1_NOON = Instant.parse("2026-11-24T12:00:00Z");
    private static final Instant DAY1_LATE = Instant.parse("2026-11-24T23:59:59Z");
    private static final Instant DAY2_EARLY = Instant.parse("2026-11-25T00:00:01Z");

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records what is destroyed. */
    static final class RecordingKeyStore implements DailyKeyStore {
        final DailyKeyStore delegate = DailyKeyStore.inMemory();
        final List<LocalDate> destroyedBefore = new ArrayList<>();

        @Override
        public byte[] keyFor(LocalDate day) {
            return delegate.keyFor(day);
        }

        @Override
        public synchronized void destroyBefore(LocalDate oldestKept) {
            destroyedBefore.add(oldestKept);
            delegate.destroyBefore(oldestKept);
        }
    }

    private final MovableClock clock = new MovableClock(DAY1_NOON);
    private final RecordingKeyStore keys = new RecordingKeyStore();
    private final IpAnonymizer anonymizer =
            IpAnonymizer.dailyRotating(keys, IpPrecision.FULL_ADDRESS, Duration.ofDays(1), clock);

    @Test
    void oneDayOneHashAndNoLinkAcrossDays() {
        String noon = anonymizer.anonymize("192.0.2.1", DAY1_NOON);
        assertThat(noon).matches("[0-9a-f]{64}");
        assertThat(anonymizer.anonymize("192.0.2.1", DAY1_LATE)).isEqualTo(noon);
        assertThat(anonymizer.anonymize("::ffff:192.0.2.1", DAY1_LATE)).isEqualTo(noon);
        assertThat(anonymizer.anonymize("192.0.2.1", DAY2_EARLY)).isNotEqualTo(noon).matches("[0-9a-f]{64}");
        assertThat(anonymizer.anonymize("192.0.2.2", DAY1_NOON)).isNotEqualTo(noon);
        assertThat(anonymizer.anonymize("not an ip", DAY1_NOON)).isNull();
    }

    @Test
    void instancesSharingAKeyStoreAgree() {
        IpAnonymizer other = IpAnonymizer.dailyRotating(keys, IpPrecision.FULL_ADDRESS, Duration.ofDays(1), clock);
        assertThat(other.anonymize("2001:db8::5", DAY1_NOON)).isEqualTo(anonymizer.anonymize("2001:db8::5", DAY1_LATE));
    }

    @Test
    void oldDaysStopHashingAfterTheGraceButOnlyAScheduledJobDestroysKeys() {
        assertThat(anonymizer.anonymize("192.0.2.1", DAY1_NOON)).isNotNull();

        clock.set(DAY2_EARLY);
        assertThat(anonymizer.anonymize("192.0.2.1", DAY1_NOON)).as("yesterday is within the grace").isNotNull();

        clock.set(Instant.parse("2026-11-26T00:00:01Z"));
        assertThat(anonymizer.anonymize("192.0.2.1", DAY1_NOON)).isNull();
        assertThat(anonymizer.anonymize("192.0.2.1")).as("today still hashes").isNotNull();
        assertThat(keys.destroyedBefore).as("anonymizing never destroys keys").isEmpty();
    }

    @Test
    void aDestroyedKeyIsNeverCreatedAgainByALaggingInstance() {
        String before = anonymizer.anonymize("192.0.2.1", DAY1_NOON);
        assertThat(before).isNotNull();
        keys.destroyBefore(LocalDate.parse("2026-11-25"));

        MovableClock laggingClock = new MovableClock(DAY1_NOON);
        IpAnonymizer lagging = IpAnonymizer.dailyRotating(keys, IpPrecision.FULL_ADDRESS, Duration.ofDays(1),
                laggingClock);
        assertThat(lagging.anonymize("192.0.2.1", DAY1_NOON)).as("its day is still 'today' for it").isNull();
        assertThat(keys.keyFor(LocalDate.parse("2026-11-24"))).isNull();
    }

    @Test
    void aKeyStoreThatCannotBeReachedMakesTheLoggerRetryNotReject() {
        java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(2);
        DailyKeyStore flaky = new DailyKeyStore() {
            @Override
            public byte[] keyFor(LocalDate day) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw ListenStoreException.transientFailure("key table unreachable (test)", null);
                }
                return keys.keyFor(day);
            }

            @Override
            public void destroyBefore(LocalDate oldestKept) {
                keys.destroyBefore(oldestKept);
            }
        };
        InMemoryStore store = new InMemoryStore();
        IpAnonymizer rotating = IpAnonymizer.dailyRotating(flaky, IpPrecision.FULL_ADDRESS, Duration.ofDays(1), clock);
        try (ListenLogger logger = ListenLogger.builder().store(store).anonymizer(rotating).clock(clock)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
            logger.log(ListenRequest.of(1, "192.0.2.1", null, null));
            assertThat(logger.flush(LoggerFixture.WAIT)).isTrue();
            ListenLogMetrics m = logger.metrics();
            assertThat(m.written()).isEqualTo(1);
            assertThat(m.rejected()).isZero();
            assertThat(m.retries()).isEqualTo(2);
        }
        assertThat(store.events()).extracting(ListenEvent::ipHash).containsExactly(anonymizer.anonymize("192.0.2.1"));
    }

    @Test
    void theLoggerHashesWithTheKeyOfTheEventsDay() {
        InMemoryStore store = new InMemoryStore();
        try (ListenLogger logger = ListenLogger.builder().store(store).anonymizer(anonymizer).clock(clock).build()) {
            clock.set(DAY2_EARLY);
            logger.log(ListenRequest.builder(1).clientIp("192.0.2.1").occurredAt(DAY1_LATE).build());
            logger.log(ListenRequest.of(1, "192.0.2.1", null, null));
            assertThat(logger.flush(LoggerFixture.WAIT)).isTrue();
        }
        assertThat(store.events()).extracting(ListenEvent::ipHash).containsExactly(
                anonymizer.anonymize("192.0.2.1", DAY1_NOON), anonymizer.anonymize("192.0.2.1", DAY2_EARLY));
    }

    @Test
    void networkPrecisionAndGraceBounds() {
        IpAnonymizer coarse = IpAnonymizer.dailyRotating(keys, IpPrecision.NETWORK, Duration.ZERO, clock);
        assertThat(coarse.anonymize("192.0.2.1", DAY1_NOON)).isEqualTo(coarse.anonymize("192.0.2.200", DAY1_LATE));
        clock.set(DAY2_EARLY);
        assertThat(coarse.anonymize("192.0.2.1", DAY1_NOON)).as("no grace: yesterday is gone").isNull();
        assertThatThrownBy(() -> IpAnonymizer.dailyRotating(keys, IpPrecision.FULL_ADDRESS, Duration.ofDays(31), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyGrace");
    }

    @Test
    void inMemoryKeysAreRandomPerDayAndDestroyable() {
        DailyKeyStore store = DailyKeyStore.inMemory();
        LocalDate day = LocalDate.parse("2026-11-24");
        byte[] key = store.keyFor(day);
        assertThat(key).hasSizeGreaterThanOrEqualTo(32).isEqualTo(store.keyFor(day));
        assertThat(store.keyFor(day.plusDays(1))).isNotEqualTo(key);
        store.destroyBefore(day.plusDays(1));
        assertThat(store.keyFor(day)).as("a destroyed key is gone for good").isNull();
        store.destroyBefore(day.minusDays(5));
        assertThat(store.keyFor(day)).as("the horizon never moves back").isNull();
        assertThat(store.keyFor(day.plusDays(1))).isNotNull();
    }
}
