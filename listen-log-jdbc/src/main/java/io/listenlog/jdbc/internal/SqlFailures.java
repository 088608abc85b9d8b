package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.regex.Pattern;

/** Sorts a failed write into what the logger should do about it, from SQLStates and vendor error codes. */
public final class SqlFailures {

    /** What a failure means for the batch. */
    public enum Kind {
        /** The same batch may succeed later: connection lost, timeout, lock, deadlock, serialization failure. */
        TRANSIENT,
        /** Some events can never be stored: a constraint or data violation. */
        REJECTED,
        /** Nothing known: most likely a schema or configuration problem, worth retrying while someone fixes it. */
        UNEXPECTED
    }

    /**
     * A classified failure.
     *
     * @param kind     what it means
     * @param decisive the exception in the chain that decided it (the last one for {@link Kind#UNEXPECTED})
     */
    public record Classification(Kind kind, SQLException decisive) {

        /**
         * The decisive exception's first message line with every single-quoted literal blanked out, its SQLState and
         * vendor code: safe to log, since drivers quote row values (user agents, referrers, {@code extra}) in their
         * messages (MariaDB's {@code Duplicate entry '...'}) and details (PostgreSQL's second line,
         * {@code Failing row contains (...)}).
         */
        public String describe() {
            return safeMessage(decisive) + " (SQLState " + decisive.getSQLState() + ", vendor code "
                    + decisive.getErrorCode() + ")";
        }
    }

    private static final Set<String> TRANSIENT_STATES = Set.of(
            "40001",  // serialization failure
            "40P01",  // PostgreSQL deadlock
            "55P03",  // PostgreSQL lock not available
            "57014",  // query canceled (statement timeout)
            "57P01", "57P02", "57P03",  // PostgreSQL admin shutdown, crash shutdown, cannot connect now
            "HYT00", "HYT01");  // timeouts

    /** A 'literal', with SQL's doubled quotes inside; unterminated at the end of a line too. */
    private static final Pattern QUOTED = Pattern.compile("'(?:[^']|'')*'?");

    private SqlFailures() {
    }

    /** The first line of {@code e}'s message with quoted parts replaced by {@code '…'}. */
    static String safeMessage(SQLException e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getName();
        }
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        return QUOTED.matcher(firstLine).replaceAll("'…'");
    }

    /** Classifies {@code failure}, following its next-exception and cause chain to the first telling one. */
    public static Classification classify(Vendor vendor, SQLException failure) {
        SQLException last = failure;
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException e) {
                last = e;
                Kind kind = kindOf(vendor, e);
                if (kind != Kind.UNEXPECTED) {
                    return new Classification(kind, e);
                }
            }
        }
        return new Classification(Kind.UNEXPECTED, last);
    }

    private static @Nullable Throwable next(Throwable t) {
        if (t instanceof SQLException e && e.getNextException() != null && e.getNextException() != t) {
            return e.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static Kind kindOf(Vendor vendor, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        if (e instanceof SQLIntegrityConstraintViolationException || state.startsWith("23") || state.startsWith("22")
                || vendor.isConstraintCode(code)) {
            return Kind.REJECTED;
        }
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state)
                || vendor.isTransientCode(code)) {
            return Kind.TRANSIENT;
        }
        return Kind.UNEXPECTED;
    }
}
