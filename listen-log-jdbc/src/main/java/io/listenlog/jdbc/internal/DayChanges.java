package io.listenlog.jdbc.internal;

import io.listenlog.core.ListenEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The marks of {@code listen_day_change}: each UTC day and source whose events a transaction changed, written in that
 * transaction (by the store for what it writes and updates, by the migration V7_7's trigger for deleted events), so
 * that retention repairs rolled-up days without reading kept events. Every mark carries a version that
 * each change raises; a rollup deletes the marks it read before reading the day's events, by version, so that a change
 * committed after that read keeps its mark for the next run, whatever the isolation level.
 *
 * <p>Marks are written in ascending (day, source) order, so that concurrent writers never deadlock on them.
 */
public final class DayChanges {

    /** One mark as a rollup read it. */
    public record Mark(LocalDate day, long sourceId, long version) {
    }

    private final Vendor vendor;
    private final String markSql;

    public DayChanges(Vendor vendor) {
        this.vendor = vendor;
        this.markSql = "INSERT INTO listen_day_change (day, source_id, version) VALUES (?, ?, 1)"
                + vendor.onConflictIncrement("listen_day_change", "day, source_id", "version");
    }

    /** Marks the days and sources of the events of {@code batch} at {@code indexes}. */
    public void markWritten(Connection c, List<ListenEvent> batch, List<Integer> indexes) throws SQLException {
        SortedSet<Mark> marks = new TreeSet<>(DayChanges::byDayAndSource);
        for (int i : indexes) {
            ListenEvent event = batch.get(i);
            marks.add(new Mark(LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC), event.sourceId(), 0));
        }
        upsert(c, marks);
    }

    private void upsert(Connection c, SortedSet<Mark> marks) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(markSql)) {
            for (Mark mark : marks) {
                vendor.bindDay(insert, 1, mark.day());
                insert.setLong(2, mark.sourceId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Stored listens as {@link #readStored} found them: their ids, and the days and sources they fall on. */
    public record Stored(Set<UUID> ids, SortedSet<Mark> days) {
    }

    /**
     * Which of {@code listenIds} are stored, read with the day and source of each in the same query, so that a
     * listening-time update can {@link #mark(Connection, Stored)} the days it touches without reading them again.
     */
    public Stored readStored(Connection c, List<UUID> listenIds) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        SortedSet<Mark> marks = new TreeSet<>(DayChanges::byDayAndSource);
        try (PreparedStatement select = c.prepareStatement("SELECT listen_id, source_id, "
                + vendor.utcDayOf("occurred_at") + " FROM listen_event WHERE listen_id IN ("
                + EventInserts.placeholders(listenIds.size()) + ")")) {
            for (int i = 0; i < listenIds.size(); i++) {
                vendor.bindListenId(select, i + 1, listenIds.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stored.add(vendor.readListenId(rs, 1));
                    marks.add(new Mark(vendor.readDay(rs, 3), rs.getLong(2), 0));
                }
            }
        }
        return new Stored(stored, marks);
    }

    /** Marks the days of {@code stored}, after they were updated: rows first, then marks, as every writer does. */
    public void mark(Connection c, Stored stored) throws SQLException {
        upsert(c, stored.days());
    }

    /** Marks {@code days} for source 0 (the source unknown: a marked day is rolled up again whole anyway). */
    public void markDays(Connection c, Collection<LocalDate> days) throws SQLException {
        SortedSet<Mark> marks = new TreeSet<>(DayChanges::byDayAndSource);
        days.forEach(day -> marks.add(new Mark(day, 0, 0)));
        upsert(c, marks);
    }

    /** The marks of the days from {@code from} to {@code to}. */
    public List<Mark> read(Connection c, LocalDate from, LocalDate to) throws SQLException {
        List<Mark> marks = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT day, source_id, version FROM listen_day_change"
                + " WHERE day >= ? AND day <= ? ORDER BY day, source_id")) {
            vendor.bindDay(select, 1, from);
            vendor.bindDay(select, 2, to);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    marks.add(new Mark(vendor.readDay(rs, 1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return marks;
    }

    /** Deletes {@code marks} unless a change raised their version since they were read. */
    public void settle(Connection c, List<Mark> marks) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM listen_day_change"
                + " WHERE day = ? AND source_id = ? AND version = ?")) {
            for (Mark mark : marks) {
                vendor.bindDay(delete, 1, mark.day());
                delete.setLong(2, mark.sourceId());
                delete.setLong(3, mark.version());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /**
     * Deletes the marks of days before {@code day}, which retention no longer repairs, and tells the trigger of deleted
     * events to mark none of them: the purge that follows deletes only such events.
     */
    public void repairFrom(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM listen_day_change WHERE day < ?");
             PreparedStatement update = c.prepareStatement("UPDATE listen_rollup_state SET repairs_from = ?"
                     + " WHERE id = 1")) {
            vendor.bindDay(delete, 1, day);
            delete.executeUpdate();
            vendor.bindDay(update, 1, day);
            update.executeUpdate();
        }
    }

    private static int byDayAndSource(Mark a, Mark b) {
        int byDay = a.day().compareTo(b.day());
        return byDay != 0 ? byDay : Long.compare(a.sourceId(), b.sourceId());
    }
}
