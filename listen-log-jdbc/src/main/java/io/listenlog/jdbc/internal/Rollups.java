package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The rollup watermark ({@code listen_rollup_state.rolled_up_through}) and UTC days as timestamp ranges. */
public final class Rollups {

    /** Reads the watermark; {@link Vendor#lockingRead} of it locks the row. */
    public static final String WATERMARK_SQL = "SELECT rolled_up_through FROM listen_rollup_state WHERE id = 1";
    public static final String SET_WATERMARK_SQL =
            "UPDATE listen_rollup_state SET rolled_up_through = ? WHERE id = 1";

    private Rollups() {
    }

    /**
     * The last rolled-up UTC day, or {@code null} before the first rollup.
     *
     * @param sql {@link #WATERMARK_SQL}, possibly made a locking read by the vendor
     */
    public static @Nullable LocalDate watermark(Vendor vendor, Connection c, String sql) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql);
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("listen_rollup_state has no row: its migration V7_1 inserts it, something "
                        + "deleted it since; insert (1, NULL) to roll up from the earliest event again");
            }
            return vendor.readDayOrNull(rs, 1);
        }
    }

    /** The first instant of the UTC day {@code day}. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the UTC day {@code day}: a day is {@code [startOf(day), endOf(day))}. */
    public static Instant endOf(LocalDate day) {
        return startOf(day.plusDays(1));
    }
}
