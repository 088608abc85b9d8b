package io.listenlog.jdbc.internal;

import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.Location;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code listen_event} rows with PostgreSQL's {@code COPY ... FROM STDIN} in text format through pgjdbc: about
 * half the cost of a batched {@code INSERT}. Loaded only when pgjdbc is the driver.
 */
public final class PostgresCopy {
    private static final String COPY_SQL = "COPY listen_event (source_id, occurred_at, ip, user_agent, referrer, "
            + "duration_seconds, extra, listen_id, client_class, client_app, client_platform, listener, country, region) FROM STDIN"
            + " (FORMAT text)";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private PostgresCopy() {
    }

    /** Whether {@code connection} is pgjdbc's, so that {@link #copy} can be used. */
    public static boolean supports(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class);
        } catch (SQLException | LinkageError e) {
            return false;
        }
    }

    /**
     * Copies {@code events[i]} for each {@code i} of {@code rows}, with {@code extras[i]} as its JSON text.
     *
     * @throws SQLException as {@code COPY} reports it; one bad row fails the whole copy, and its transaction
     */
    public static void copy(Connection connection, List<ListenEvent> events, String[] extras, List<Integer> rows)
            throws SQLException {
        StringBuilder text = new StringBuilder(rows.size() * 256);
        for (int i : rows) {
            ListenEvent e = events.get(i);
            text.append(e.sourceId()).append('\t')
                    .append(TIMESTAMP.format(e.occurredAt().truncatedTo(ChronoUnit.MICROS))).append('\t');
            field(text, e.ipHash()).append('\t');
            field(text, e.userAgent()).append('\t');
            field(text, e.referrer()).append('\t');
            field(text, e.durationSeconds() == null ? null : e.durationSeconds().toString()).append('\t');
            field(text, extras[i]).append('\t')
                    .append(e.listenId()).append('\t');
            ClientInfo client = e.client();
            field(text, client == null ? null : client.clientClass()).append('\t');
            field(text, client == null ? null : ClientColumns.cut(client.app())).append('\t');
            field(text, client == null ? null : ClientColumns.cut(client.platform())).append('\t');
            field(text, e.listener()).append('\t');
            Location location = e.location();
            field(text, location == null ? null : location.country()).append('\t');
            field(text, location == null ? null : location.region()).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Whether {@code e} is PostgreSQL's unique violation (SQLState 23505), on its own or as the cause of a copy failure. */
    public static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A column of COPY's text format: {@code \N} for null, backslash escapes for the separators. */
    private static StringBuilder field(StringBuilder out, @Nullable String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }
}
