package io.listenlog.jdbc.internal;

import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.Location;
import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * How a dialect writes the events of a batch whose listen ids are not stored yet, each id once, inside the store's
 * transaction (which has locked the batch's sources, so no other writer of these listens runs beside it). A dialect
 * chooses one when a store is made ({@link Vendor#inserts}).
 */
public abstract class EventInserts {

    final Vendor vendor;

    private EventInserts(Vendor vendor) {
        this.vendor = vendor;
    }

    /** Reads which ids are stored, then writes the others with a batched insert, or with {@code COPY}. */
    static EventInserts readingStored(Vendor vendor, boolean byCopy) {
        return new ReadingStored(vendor, byCopy);
    }

    /** One insert whose conflict clause skips stored ids, and whose driver reports which statements inserted. */
    static EventInserts conflictIgnoring(Vendor vendor) {
        return new ConflictIgnoring(vendor);
    }

    /**
     * {@code COPY} at once, without reading which ids are stored: only a batch that hits the unique index on
     * {@code listen_id} (a retry or a replay, rare) is written again, by reading the stored ids first ({@link #fallbackFor}). An index that also
     * holds {@code occurred_at} (a partitioned table's) cannot tell, so it is only for a plain table.
     */
    static EventInserts copyFirst(Vendor vendor) {
        return new CopyFirst(vendor);
    }

    /**
     * Writes the events of {@code batch} whose listen id is not stored yet, with {@code extras[i]} as the JSON text
     * of event {@code i}.
     *
     * @return the indexes of the events it inserted
     */
    public abstract List<Integer> insertNew(Connection c, List<ListenEvent> batch, String[] extras)
            throws SQLException;

    /** What writes the batch again, in a new transaction, when {@link #insertNew} failed with {@code e}; or null. */
    public @Nullable EventInserts fallbackFor(SQLException e) {
        return null;
    }

    /** Which of {@code listenIds} are stored already. */
    public Set<UUID> storedListenIds(Connection connection, List<UUID> listenIds) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT listen_id FROM listen_event WHERE "
                + "listen_id IN (" + placeholders(listenIds.size()) + ")")) {
            for (int i = 0; i < listenIds.size(); i++) {
                vendor.bindListenId(select, i + 1, listenIds.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stored.add(vendor.readListenId(rs, 1));
                }
            }
        }
        return stored;
    }

    /** {@code n} comma-separated {@code ?}. */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** @return the driver's update count of each row's insert */
    int[] insertRows(Connection connection, List<ListenEvent> batch, String[] extras, List<Integer> rows)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(vendor.insertSql())) {
            for (int i : rows) {
                ListenEvent event = batch.get(i);
                insert.setLong(1, event.sourceId());
                vendor.bindTimestamp(insert, 2, event.occurredAt());
                insert.setString(3, event.ipHash());
                insert.setString(4, event.userAgent());
                insert.setString(5, event.referrer());
                if (event.durationSeconds() == null) {
                    insert.setNull(6, Types.INTEGER);
                } else {
                    insert.setInt(6, event.durationSeconds());
                }
                insert.setString(7, extras[i]);
                vendor.bindListenId(insert, 8, event.listenId());
                ClientInfo client = event.client();
                insert.setString(9, client == null ? null : client.clientClass());
                insert.setString(10, client == null ? null : ClientColumns.cut(client.app()));
                insert.setString(11, client == null ? null : ClientColumns.cut(client.platform()));
                insert.setString(12, event.listener());
                Location location = event.location();
                insert.setString(13, location == null ? null : location.country());
                insert.setString(14, location == null ? null : location.region());
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    private static final class ReadingStored extends EventInserts {
        private final boolean byCopy;

        ReadingStored(Vendor vendor, boolean byCopy) {
            super(vendor);
            this.byCopy = byCopy;
        }

        @Override
        public List<Integer> insertNew(Connection c, List<ListenEvent> batch, String[] extras) throws SQLException {
            Set<UUID> stored = storedListenIds(c, batch.stream().map(ListenEvent::listenId).toList());
            List<Integer> fresh = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                if (stored.add(batch.get(i).listenId())) {
                    fresh.add(i);
                }
            }
            if (fresh.isEmpty()) {
                return fresh;
            }
            if (byCopy) {
                PostgresCopy.copy(c, batch, extras, fresh);
            } else {
                insertRows(c, batch, extras, fresh);
            }
            return fresh;
        }
    }

    private static final class ConflictIgnoring extends EventInserts {
        ConflictIgnoring(Vendor vendor) {
            super(vendor);
        }

        @Override
        public List<Integer> insertNew(Connection c, List<ListenEvent> batch, String[] extras) throws SQLException {
            List<Integer> all = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                all.add(i);
            }
            int[] changes = insertRows(c, batch, extras, all);
            List<Integer> inserted = new ArrayList<>(batch.size());
            for (int i = 0; i < changes.length; i++) {
                if (changes[i] > 0) {
                    inserted.add(i);
                }
            }
            return inserted;
        }
    }

    private static final class CopyFirst extends EventInserts {
        private final EventInserts careful;

        CopyFirst(Vendor vendor) {
            super(vendor);
            this.careful = new ReadingStored(vendor, true);
        }

        @Override
        public List<Integer> insertNew(Connection c, List<ListenEvent> batch, String[] extras) throws SQLException {
            Set<UUID> seen = new HashSet<>();
            List<Integer> first = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                if (seen.add(batch.get(i).listenId())) {
                    first.add(i);
                }
            }
            PostgresCopy.copy(c, batch, extras, first);
            return first;
        }

        @Override
        public @Nullable EventInserts fallbackFor(SQLException e) {
            return PostgresCopy.isUniqueViolation(e) ? careful : null;
        }
    }
}
