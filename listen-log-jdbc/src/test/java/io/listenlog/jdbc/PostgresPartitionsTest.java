package io.listenlog.jdbc;

import io.listenlog.core.ListenEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("listen_event partitioned by month on PostgreSQL")
@EnabledIfEnvironmentVariable(named = PostgresDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = PostgresDatabase.NOT_SET)
class PostgresPartitionsTest extends DatabaseTest {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new PostgresDatabase();
    }

    @BeforeEach
    void migratePartitioned() {
        hostFlyway().migrate();
        ListenLogMigrations.migratePartitioned(dataSource());
    }

    private List<String> partitions() {
        return strings("SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
                + " WHERE pg_inherits.inhparent = 'listen_event'::regclass ORDER BY child.relname");
    }

    private static String partition(YearMonth month) {
        return String.format("listen_event_p%04d%02d", month.getYear(), month.getMonthValue());
    }

    private ListenRetention retentionAt(Instant now) {
        return ListenRetention.builder(dataSource()).retention(Duration.ofDays(90))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private static List<ListenEvent> events(int count, Instant from, Duration step) {
        List<ListenEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new ListenEvent(UUID.randomUUID(), 1 + i % 3, from.plus(step.multipliedBy(i)), "h" + (i % 7),
                    "VLC/3.0", null, null, null));
        }
        return events;
    }

    @Test
    void theMigrationCreatesAPartitionedTableWithThisMonthAndTheNextTwoAndADefault() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        assertThat(strings("SELECT relkind FROM pg_class WHERE oid = 'listen_event'::regclass")).containsExactly("p");
        assertThat(partitions()).containsExactly("listen_event_default", partition(now), partition(now.plusMonths(1)),
                partition(now.plusMonths(2)));
    }

    @Test
    void retentionCreatesPartitionsAheadAndDropsWholeMonthsOnlyOnceRolledUpAndPastRetention() {
        retentionAt(Instant.parse("2026-01-15T12:00:00Z")).runOnce();
        assertThat(partitions()).contains(partition(YearMonth.of(2026, 1)), partition(YearMonth.of(2026, 2)),
                partition(YearMonth.of(2026, 3)));

        JdbcListenStore store = JdbcListenStore.create(dataSource());
        List<ListenEvent> january = events(300, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(2));
        List<ListenEvent> february = events(100, Instant.parse("2026-02-01T00:00:00Z"), Duration.ofHours(3));
        List<ListenEvent> longAgo = events(10, Instant.parse("2020-05-01T00:00:00Z"), Duration.ofHours(1));
        store.write(january);
        store.write(january);  // a replay: stored once
        store.write(february);
        store.write(longAgo);
        assertThat(longs("SELECT 1, COUNT(*) FROM listen_event_default")).containsEntry(1L, 10L);
        assertThat(longs("SELECT 1, COUNT(*) FROM " + partition(YearMonth.of(2026, 1)))).containsEntry(1L, 300L);
        assertThat(listenCounts()).isEqualTo(longs("SELECT source_id, COUNT(*) FROM listen_event GROUP BY source_id"));

        // 90 days before 2026-05-10 is 2026-02-09: January has ended before it, February has not.
        RetentionResult result = retentionAt(Instant.parse("2026-05-10T12:00:00Z")).runOnce();

        assertThat(result.eventsDeleted()).isEqualTo(300 + 10);
        assertThat(partitions()).doesNotContain(partition(YearMonth.of(2026, 1)))
                .contains(partition(YearMonth.of(2026, 2)), partition(YearMonth.of(2026, 5)),
                        partition(YearMonth.of(2026, 6)), partition(YearMonth.of(2026, 7)));
        assertThat(longs("SELECT 1, COUNT(*) FROM listen_event")).containsEntry(1L, 100L);
        ListenStats stats = ListenStats.create(dataSource());
        assertThat(stats.totalPlays(null, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 31))).isEqualTo(300);
        assertThat(stats.totalPlays(null, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28))).isEqualTo(100);
        assertThat(stats.totalPlays(null, LocalDate.of(2020, 5, 1), LocalDate.of(2020, 5, 1))).isEqualTo(10);
        assertThat(listenCounts()).isEqualTo(counts(138, 136, 136));
    }

    @Test
    void aDeletionRequestOnThePartitionedTableHasTheNextRunRollItsDaysUpAgain() throws Exception {
        Instant now = Instant.parse("2026-01-20T12:00:00Z");
        retentionAt(now).runOnce();
        JdbcListenStore.create(dataSource()).write(events(70, Instant.parse("2026-01-05T00:00:00Z"), Duration.ofHours(1)));
        retentionAt(now).runOnce();
        ListenStats stats = ListenStats.create(dataSource());
        LocalDate from = LocalDate.of(2026, 1, 5);
        LocalDate to = LocalDate.of(2026, 1, 7);
        assertThat(stats.totalPlays(null, from, to)).isEqualTo(70);

        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.PreparedStatement delete = c.prepareStatement("DELETE FROM listen_event WHERE ip = ?")) {
            delete.setString(1, "h3");
            assertThat(delete.executeUpdate()).isEqualTo(10);
        }

        assertThat(retentionAt(now).runOnce().daysRolledUp()).as("the three days and the day after").isEqualTo(4);
        assertThat(stats.totalPlays(null, from, to)).isEqualTo(60);
        assertThat(stats.audience(null, from, to).stream().mapToLong(DailyAudience::plays).sum()).isEqualTo(60);
    }

    @Test
    void aMonthWhosePartitionWasDroppedStillTakesLateEventsInTheDefaultPartition() {
        retentionAt(Instant.parse("2026-01-15T12:00:00Z")).runOnce();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        store.write(events(5, Instant.parse("2026-01-02T00:00:00Z"), Duration.ofHours(1)));
        retentionAt(Instant.parse("2026-06-10T12:00:00Z")).runOnce();
        assertThat(partitions()).doesNotContain(partition(YearMonth.of(2026, 1)));

        store.write(events(2, Instant.parse("2026-01-03T00:00:00Z"), Duration.ofHours(1)));

        assertThat(longs("SELECT 1, COUNT(*) FROM listen_event_default")).containsEntry(1L, 2L);
        assertThat(retentionAt(Instant.parse("2026-06-10T13:00:00Z")).runOnce().eventsDeleted()).isEqualTo(2);
    }

    @Test
    void aListenOfAMonthWithoutAPartitionMovesIntoItsPartitionAndRetentionNeverStops() {
        retentionAt(Instant.parse("2026-01-15T12:00:00Z")).runOnce();
        JdbcListenStore store = JdbcListenStore.create(dataSource());
        store.write(events(1, Instant.parse("2026-05-03T10:00:00Z"), Duration.ofHours(1)));  // four months ahead
        store.write(events(1, Instant.parse("2024-01-03T10:00:00Z"), Duration.ofHours(1)));  // two years back
        assertThat(longs("SELECT 1, COUNT(*) FROM listen_event_default")).containsEntry(1L, 2L);

        RetentionResult threeMonthsOn = retentionAt(Instant.parse("2026-04-15T12:00:00Z")).runOnce();
        assertThat(partitions()).contains(partition(YearMonth.of(2026, 4)), partition(YearMonth.of(2026, 5)),
                partition(YearMonth.of(2026, 6)));
        assertThat(longs("SELECT 1, COUNT(*) FROM " + partition(YearMonth.of(2026, 5)))).containsEntry(1L, 1L);
        assertThat(threeMonthsOn.eventsDeleted()).as("the listen of 2024, past retention, from the default partition")
                .isEqualTo(1);
        assertThat(longs("SELECT 1, COUNT(*) FROM listen_event_default")).containsEntry(1L, 0L);

        assertThat(retentionAt(Instant.parse("2026-06-15T12:00:00Z")).runOnce().eventsDeleted()).isZero();
        assertThat(partitions()).contains(partition(YearMonth.of(2026, 8)));

        RetentionResult thirtyMonthsOn = retentionAt(Instant.parse("2028-07-15T12:00:00Z")).runOnce();
        assertThat(thirtyMonthsOn.eventsDeleted()).as("May 2026, dropped with its partition").isEqualTo(1);
        assertThat(partitions()).doesNotContain(partition(YearMonth.of(2026, 5)))
                .contains(partition(YearMonth.of(2028, 7)), partition(YearMonth.of(2028, 9)));
        ListenStats stats = ListenStats.create(dataSource());
        assertThat(stats.totalPlays(null, LocalDate.of(2026, 5, 3), LocalDate.of(2026, 5, 3))).isEqualTo(1);
        assertThat(stats.totalPlays(null, LocalDate.of(2024, 1, 3), LocalDate.of(2024, 1, 3))).isEqualTo(1);
        assertThat(listenCounts()).isEqualTo(counts(2, 0, 0));
    }
}
