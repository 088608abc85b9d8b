package io.listenlog.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction of a pooled connection and leaves the connection as it found it. */
public final class Transactions {

    /** Work on a connection that is inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Work on a connection that is inside a transaction, and returns nothing. */
    @FunctionalInterface
    public interface Step {
        void run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /** As {@link #inTransaction(Connection, Work)}, for work that returns nothing. */
    public static void inTransactionDo(Connection connection, Step step) throws SQLException {
        inTransaction(connection, c -> {
            step.run(c);
            return Boolean.TRUE;
        });
    }

    /**
     * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws anything, an
     * {@code Error} included (a failed rollback is added as suppressed), and switches auto-commit back on if it was
     * on.
     */
    public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try {
            if (autoCommit) {
                connection.setAutoCommit(false);  // on SQLite in IMMEDIATE mode, this already takes the write lock
            }
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (Throwable e) {
            // Errors too: the finally's setAutoCommit(true) would otherwise commit half the work.
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            if (autoCommit) {
                restoreAutoCommit(connection);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction at {@code isolation}, so that all its queries see one snapshot, and puts
     * the connection's isolation level back afterwards.
     */
    public static <T> T inSnapshot(Connection connection, int isolation, Work<T> work) throws SQLException {
        int previous = connection.getTransactionIsolation();
        connection.setTransactionIsolation(isolation);
        try {
            return inTransaction(connection, work);
        } finally {
            connection.setTransactionIsolation(previous);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // The transaction is settled by now; a broken connection is the pool's to discard, not a failed one.
        }
    }
}
