package io.listenlog.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The monthly partitions of a {@code listen_event} made by the {@code postgresql_partitioned} migrations, named
 * {@code listen_event_pYYYYMM} for the UTC month they hold. Partitions named otherwise (the default one, or a host's
 * own) are never touched.
 */
public final class PostgresPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitions.class);
    /** This month and the next two exist at every run, so a month is never written to the default partition. */
    public static final int MONTHS_AHEAD = 2;
    /** The partition of the months that have none of their own. */
    public static final String DEFAULT_PARTITION = "listen_event_default";
    private static final String PREFIX = "listen_event_p";
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("uuuuMM", Locale.ROOT);

    private PostgresPartitions() {
    }

    /** Whether {@code listen_event} in the connection's search path is a partitioned table. */
    public static boolean isPartitioned(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT relkind FROM pg_class WHERE oid = to_regclass('listen_event')")) {
            return rs.next() && "p".equals(rs.getString(1));
        }
    }

    /**
     * The months among this one and the next {@value #MONTHS_AHEAD} that have no partition yet, to be made each in its
     * own transaction by {@link #create}, so that one that fails never keeps the others from being made.
     */
    public static List<YearMonth> missingAhead(Connection c, Instant now) throws SQLException {
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        List<YearMonth> existing = monthlyPartitions(c);
        List<YearMonth> missing = new ArrayList<>();
        for (int i = 0; i <= MONTHS_AHEAD; i++, month = month.plusMonths(1)) {
            if (!existing.contains(month)) {
                missing.add(month);
            }
        }
        return missing;
    }

    /**
     * Creates the partition of {@code month} in the connection's transaction. The month's rows that wait in the
     * default partition (a listen dated ahead, or a month retention did not reach in time) move into it in the same
     * transaction: PostgreSQL refuses a partition whose rows the default partition holds, and would refuse it at every
     * later run.
     *
     * @return the rows moved out of the default partition
     */
    public static long create(Connection c, YearMonth month) throws SQLException {
        String from = "'" + month.atDay(1) + " 00:00:00+00'";
        String to = "'" + month.plusMonths(1).atDay(1) + " 00:00:00+00'";
        String ofTheMonth = " WHERE occurred_at >= " + from + " AND occurred_at < " + to;
        long moved;
        try (Statement s = c.createStatement()) {
            // Writers of the month wait until its partition exists, instead of adding rows the move would miss.
            s.execute("LOCK TABLE " + DEFAULT_PARTITION + " IN ACCESS EXCLUSIVE MODE");
            s.execute("CREATE TEMPORARY TABLE listen_log_moving (LIKE listen_event) ON COMMIT DROP");
            moved = s.executeUpdate("WITH moved AS (DELETE FROM " + DEFAULT_PARTITION + ofTheMonth
                    + " RETURNING *) INSERT INTO listen_log_moving SELECT * FROM moved");
            // IF NOT EXISTS: another instance's run may have made it while this one waited for the lock.
            s.execute("CREATE TABLE IF NOT EXISTS " + name(month) + " PARTITION OF listen_event FOR VALUES FROM ("
                    + from + ") TO (" + to + ")");
            s.executeUpdate("INSERT INTO listen_event SELECT * FROM listen_log_moving");
        }
        LOG.info("listen-log created partition {}{}", name(month),
                moved == 0 ? "" : " with the " + moved + " events of its month from " + DEFAULT_PARTITION);
        return moved;
    }

    /**
     * The monthly partitions whose whole month ends at or before {@code before}, oldest first.
     */
    public static List<YearMonth> endedBefore(Connection c, Instant before) throws SQLException {
        List<YearMonth> ended = new ArrayList<>();
        for (YearMonth month : monthlyPartitions(c)) {
            if (!month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(before)) {
                ended.add(month);
            }
        }
        return ended;
    }

    /**
     * Drops the partition of {@code month} in the connection's transaction.
     *
     * @return the rows it held
     */
    public static long drop(Connection c, YearMonth month) throws SQLException {
        String name = name(month);
        long rows;
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + name + " IN ACCESS EXCLUSIVE MODE");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + name)) {
                rs.next();
                rows = rs.getLong(1);
            }
            s.execute("DROP TABLE " + name);
        }
        LOG.info("listen-log dropped partition {} with {} events", name, rows);
        return rows;
    }

    private static List<YearMonth> monthlyPartitions(Connection c) throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits"
                + " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
                + " WHERE pg_inherits.inhparent = to_regclass('listen_event') ORDER BY child.relname");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.length() == PREFIX.length() + 6 && name.startsWith(PREFIX)) {
                    try {
                        months.add(YearMonth.parse(name.substring(PREFIX.length()), SUFFIX));
                    } catch (java.time.format.DateTimeParseException notOurs) {
                        // a host's own partition
                    }
                }
            }
        }
        return months;
    }

    private static String name(YearMonth month) {
        return PREFIX + month.format(SUFFIX);
    }
}
