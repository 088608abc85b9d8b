package io.listenlog.jdbc;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real {@link DataSource} and fails on demand: every {@code getConnection} while unreachable, the next
 * {@code n} inserts ({@code executeBatch}, after the counter updates ran) or commits, or one statement execution or
 * commit after {@code n} that pass. A failing commit rolls the real transaction back first, like a connection lost
 * before the COMMIT reached the server. Records the SQL of every statement executed through it.
 */
final class FaultInjectingDataSource {

    private final DataSource target;
    private volatile boolean unreachable;
    private final AtomicInteger failingBatches = new AtomicInteger();
    private final AtomicInteger failingCommits = new AtomicInteger();
    private final AtomicInteger erringBatches = new AtomicInteger();
    private final AtomicInteger lostCommitAcks = new AtomicInteger();
    private final AtomicInteger injectedFailures = new AtomicInteger();
    /** Executions to let through before the armed one fails; negative when none is armed. */
    private final AtomicInteger executionsBeforeFailure = new AtomicInteger(-1);
    private final List<String> executedSql = new CopyOnWriteArrayList<>();
    private volatile String afterSqlPrefix;
    private volatile Runnable afterSql;

    FaultInjectingDataSource(DataSource target) {
        this.target = target;
    }

    void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    void failNextBatches(int n) {
        failingBatches.set(n);
    }

    /** The next {@code n} inserts throw an {@code Error}, as a driver with a missing class or a bug would. */
    void errNextBatches(int n) {
        erringBatches.set(n);
    }

    /** The next {@code n} commits succeed, and then the connection fails before the driver hears so. */
    void loseNextCommitAcknowledgements(int n) {
        lostCommitAcks.set(n);
    }

    void failNextCommits(int n) {
        failingCommits.set(n);
    }

    /** Lets {@code n} statement executions or commits through, then fails the next one. */
    void failExecutionAfter(int n) {
        executionsBeforeFailure.set(n);
    }

    /** Whether some armed failure has not happened yet. */
    /** Runs {@code action} once, right after the first statement whose SQL starts with {@code sqlPrefix} ran. */
    void afterExecuting(String sqlPrefix, Runnable action) {
        afterSqlPrefix = sqlPrefix;
        afterSql = action;
    }

    boolean faultsLeft() {
        return failingBatches.get() > 0 || erringBatches.get() > 0 || failingCommits.get() > 0
                || lostCommitAcks.get() > 0 || executionsBeforeFailure.get() >= 0;
    }

    /** How many statements whose SQL starts with {@code prefix} were executed so far. */
    /** Every statement executed so far, in order. */
    List<String> executedSql() {
        return List.copyOf(executedSql);
    }

    long executions(String prefix) {
        return executedSql.stream().filter(sql -> sql.startsWith(prefix)).count();
    }

    /** How many failures were injected so far. */
    int injectedFailures() {
        return injectedFailures.get();
    }

    DataSource dataSource() {
        return proxy(DataSource.class, target, method -> {
            if (method.equals("getConnection") && unreachable) {
                injectedFailures.incrementAndGet();
                throw new SQLTransientConnectionException("injected: database unreachable", "08001");
            }
        }, (args, result) -> result instanceof Connection c ? connection(c) : result);
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, method -> {
            if (method.equals("commit") && take(lostCommitAcks)) {
                real.commit();
                throw new SQLException("injected: connection lost after COMMIT, before its acknowledgement", "08006");
            }
            if (method.equals("commit") && (take(failingCommits) || takeExecution())) {
                real.rollback();
                throw new SQLException("injected: connection lost during commit", "08006");
            }
        }, (args, result) -> result instanceof PreparedStatement ps ? statement(ps, (String) args[0]) : result);
    }

    private PreparedStatement statement(PreparedStatement real, String sql) {
        return proxy(PreparedStatement.class, real, method -> {
            if (!method.startsWith("execute")) {
                return;
            }
            runPendingAfter();
            executedSql.add(sql);
            if (afterSqlPrefix != null && sql.startsWith(afterSqlPrefix)) {
                afterSqlPrefix = null;
                pendingAfter = afterSql;
            }
            if (method.equals("executeBatch") && take(erringBatches)) {
                throw new NoClassDefFoundError("injected: a driver class is missing");
            }
            if (method.equals("executeBatch") && take(failingBatches) || takeExecution()) {
                throw new SQLException("injected: connection lost during " + sql, "08006");
            }
        }, (args, result) -> result);
    }

    private volatile Runnable pendingAfter;

    /** The action armed by the previous statement, run before the next one: its result is read by then. */
    private void runPendingAfter() {
        Runnable action = pendingAfter;
        if (action != null) {
            pendingAfter = null;
            action.run();
        }
    }

    private boolean takeExecution() {
        boolean take = executionsBeforeFailure.getAndUpdate(n -> n >= 0 ? n - 1 : n) == 0;
        if (take) {
            injectedFailures.incrementAndGet();
        }
        return take;
    }

    private boolean take(AtomicInteger counter) {
        boolean take = counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (take) {
            injectedFailures.incrementAndGet();
        }
        return take;
    }

    @FunctionalInterface
    private interface Fault {
        /** Throws to inject a failure; returns normally to let the call through. */
        void check(String method) throws SQLException;
    }

    @FunctionalInterface
    private interface Wrap {
        Object apply(Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, T real, Fault fault, Wrap wrap) {
        InvocationHandler handler = (self, method, args) -> {
            fault.check(method.getName());
            try {
                return wrap.apply(args, method.invoke(real, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler));
    }
}
