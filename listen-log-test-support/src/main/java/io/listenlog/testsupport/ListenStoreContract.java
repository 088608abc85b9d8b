package io.listenlog.testsupport;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ListenStore} promises, as a JUnit 5 suite a store's own tests extend (the way ShedLock publishes
 * its lock provider tests). Each test starts from {@link #newStore()} over an empty backend in which the radio
 * sources {@value #SOURCE_1}, {@value #SOURCE_2} and {@value #SOURCE_3} exist and {@value #UNKNOWN_SOURCE} does not.
 *
 * <pre>{@code
 * class MyStoreContractTest extends ListenStoreContract {
 *     protected ListenStore newStore() { ... }
 *     protected Map<Long, Long> storedPlays() { ... }
 * }
 * }</pre>
 */
public abstract class ListenStoreContract {

    protected static final long SOURCE_1 = 1;
    protected static final long SOURCE_2 = 2;
    protected static final long SOURCE_3 = 3;
    protected static final long UNKNOWN_SOURCE = 999;

    protected ListenStoreContract() {
    }

    /** A store over a fresh, empty backend with the sources 1, 2 and 3. Called once per test. */
    protected abstract ListenStore newStore();

    /** How many events the backend holds per source id; sources without events may be left out. */
    protected abstract Map<Long, Long> storedPlays();

    /**
     * How many plays the backend's per-source counter says, for stores that keep one (such as
     * {@code radio_source.listen_count}); by default the stored events themselves.
     */
    protected Map<Long, Long> countedPlays() {
        return storedPlays();
    }

    /**
     * Makes the backend unreachable ({@code false}) or reachable again. Stores that cannot simulate an outage leave
     * this as it is, and the outage test is skipped with that reason.
     */
    protected void backendReachable(boolean reachable) {
        Assumptions.abort(getClass().getSimpleName() + " cannot make its backend unreachable");
    }

    /** An event of {@code sourceId} now, with a user agent. */
    protected static ListenEvent event(long sourceId) {
        return new ListenEvent(UUID.randomUUID(), sourceId, Instant.now().truncatedTo(ChronoUnit.MICROS), null, "contract/1.0", null,
                null, null);
    }

    @Test
    void everyEventOfABatchIsStoredAndCounted() {
        ListenStore store = newStore();
        store.write(List.of(event(SOURCE_1), event(SOURCE_2), event(SOURCE_2)));
        store.write(List.of(event(SOURCE_3)));

        assertThat(withoutZeros(storedPlays())).isEqualTo(Map.of(SOURCE_1, 1L, SOURCE_2, 2L, SOURCE_3, 1L));
        assertThat(withoutZeros(countedPlays())).isEqualTo(withoutZeros(storedPlays()));
    }

    @Test
    void aListenIdIsStoredOnceHoweverOftenItsBatchIsWritten() {
        ListenStore store = newStore();
        ListenEvent repeated = event(SOURCE_2);
        List<ListenEvent> batch = List.of(event(SOURCE_1), repeated, repeated);
        store.write(batch);
        store.write(batch);
        store.write(List.of(repeated));

        assertThat(withoutZeros(storedPlays())).isEqualTo(Map.of(SOURCE_1, 1L, SOURCE_2, 1L));
        assertThat(withoutZeros(countedPlays())).isEqualTo(withoutZeros(storedPlays()));
    }

    @Test
    void listeningTimeUpdatesNameTheListensTheStoreDoesNotHold() {
        ListenStore store = newStore();
        ListenEvent stored = event(SOURCE_1);
        store.write(List.of(stored));
        UUID never = UUID.randomUUID();
        Set<UUID> unknown;
        try {
            unknown = store.updateDurations(List.of(new ListenProgress(stored.listenId(), 60),
                    new ListenProgress(never, 5)));
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(getClass().getSimpleName() + "'s store does not record listening time");
            return;
        }
        assertThat(unknown).containsExactly(never);
        assertThat(store.updateDurations(List.of(new ListenProgress(stored.listenId(), 30)))).isEmpty();
        assertThat(withoutZeros(storedPlays())).as("an update is no play").isEqualTo(Map.of(SOURCE_1, 1L));
    }

    @Test
    void eventsOfAnUnknownSourceAreRejectedByIndexAndNothingOfTheBatchIsStored() {
        ListenStore store = newStore();
        List<ListenEvent> batch = List.of(event(SOURCE_1), event(UNKNOWN_SOURCE), event(SOURCE_2),
                event(UNKNOWN_SOURCE));

        assertThatThrownBy(() -> store.write(batch)).isInstanceOfSatisfying(ListenStoreException.class, e -> {
            assertThat(e.isTransient()).as("a rejection, not a transient failure").isFalse();
            assertThat(e.rejectedIndexes()).containsExactly(1, 3);
        });
        assertThat(withoutZeros(storedPlays())).as("all or nothing").isEmpty();
        assertThat(withoutZeros(countedPlays())).isEmpty();
    }

    @Test
    void aTimeNoDatabaseCanStoreIsRejectedByIndex() {
        ListenStore store = newStore();
        ListenEvent farFuture = new ListenEvent(UUID.randomUUID(), SOURCE_2, Instant.parse("+10000-01-01T00:00:00Z"), null, null, null,
                null, null);
        List<ListenEvent> batch = List.of(event(SOURCE_1), farFuture);

        assertThatThrownBy(() -> store.write(batch)).isInstanceOfSatisfying(ListenStoreException.class, e -> {
            assertThat(e.isTransient()).isFalse();
            assertThat(e.rejectedIndexes()).containsExactly(1);
        });
        store.write(List.of(event(SOURCE_1)));
        assertThat(withoutZeros(storedPlays())).isEqualTo(Map.of(SOURCE_1, 1L));
    }

    @Test
    void anUnreachableBackendIsATransientFailureAndNothingIsStoredTwice() {
        ListenStore store = newStore();
        List<ListenEvent> batch = List.of(event(SOURCE_1), event(SOURCE_3));
        backendReachable(false);
        try {
            assertThatThrownBy(() -> store.write(batch)).isInstanceOfSatisfying(ListenStoreException.class,
                    e -> assertThat(e.isTransient()).as("worth retrying").isTrue());
        } finally {
            backendReachable(true);
        }
        store.write(batch);
        assertThat(withoutZeros(storedPlays())).isEqualTo(Map.of(SOURCE_1, 1L, SOURCE_3, 1L));
        assertThat(withoutZeros(countedPlays())).isEqualTo(withoutZeros(storedPlays()));
    }

    @Test
    void concurrentWritersNeitherLoseNorDeadlock() throws Exception {
        ListenStore store = newStore();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int b = 0; b < 20; b++) {
                        // Opposite source orders in alternate writers: a store that locks rows in batch order deadlocks.
                        List<ListenEvent> batch = writer % 2 == 0
                                ? List.of(event(SOURCE_1), event(SOURCE_2), event(SOURCE_3))
                                : List.of(event(SOURCE_3), event(SOURCE_2), event(SOURCE_1));
                        writeRetryingTransientFailures(store, batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(withoutZeros(storedPlays())).isEqualTo(Map.of(SOURCE_1, 80L, SOURCE_2, 80L, SOURCE_3, 80L));
        assertThat(withoutZeros(countedPlays())).isEqualTo(withoutZeros(storedPlays()));
    }

    @Test
    void longAndUnicodeValuesAndMissingFieldsAreStored() {
        ListenStore store = newStore();
        String userAgent = "Radio 🎵 Ünïcødé/1.0 " + "x".repeat(400);
        store.write(List.of(
                new ListenEvent(UUID.randomUUID(), SOURCE_1, Instant.now(), "a".repeat(64), userAgent, "https://例え.jp/ラジオ", 42,
                        Map.of("nested", Map.of("list", List.of(1, "two", true)), "quote", "\"\\\n")),
                new ListenEvent(UUID.randomUUID(), SOURCE_1, Instant.now(), null, null, null, null, null)));
        assertThat(withoutZeros(storedPlays())).isEqualTo(Map.of(SOURCE_1, 2L));
    }

    /** What a logger does: retries a transient failure (a lock timeout under contention, say). */
    private static void writeRetryingTransientFailures(ListenStore store, List<ListenEvent> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.write(batch);
                return;
            } catch (ListenStoreException e) {
                if (!e.isTransient() || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static Map<Long, Long> withoutZeros(Map<Long, Long> counts) {
        Map<Long, Long> result = new TreeMap<>();
        counts.forEach((source, n) -> {
            if (n != 0) {
                result.put(source, n);
            }
        });
        return result;
    }
}
