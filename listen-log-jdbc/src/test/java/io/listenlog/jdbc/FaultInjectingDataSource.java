package io.listenlog.jdbc;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real {@link DataSource} and fails on demand: every {@code getConnection} while unreachable, or the next
 * {@code n} inserts ({@code executeBatch}, after the counter updates ran) or commits. A failing commit rolls the real
 * transaction back first, like a connection lost before the COMMIT reached the server.
 */
final class FaultInjectingDataSource {

    private final DataSource target;
    private volatile boolean unreachable;
    private final AtomicInteger failingBatches = new AtomicInteger();
    private final AtomicInteger failingCommits = new AtomicInteger();
    private final AtomicInteger injectedFailures = new AtomicInteger();

    FaultInjectingDataSource(DataSource target) {
        this.target = target;
    }

    void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    void failNextBatches(int n) {
        failingBatches.set(n);
    }

    void failNextCommits(int n) {
        failingCommits.set(n);
    }

    /** Whether some armed insert or commit failure has not happened yet. */
    boolean faultsLeft() {
        return failingBatches.get() > 0 || failingCommits.get() > 0;
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
        }, result -> result instanceof Connection c ? connection(c) : result);
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, method -> {
            if (method.equals("commit") && take(failingCommits)) {
                real.rollback();
                throw new SQLException("injected: connection lost during commit", "08006");
            }
        }, result -> result instanceof PreparedStatement ps ? statement(ps) : result);
    }

    private PreparedStatement statement(PreparedStatement real) {
        return proxy(PreparedStatement.class, real, method -> {
            if (method.equals("executeBatch") && take(failingBatches)) {
                throw new SQLException("injected: connection lost during insert", "08006");
            }
        }, result -> result);
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
        Object apply(Object result);
    }

    private static <T> T proxy(Class<T> type, T real, Fault fault, Wrap wrap) {
        InvocationHandler handler = (self, method, args) -> {
            fault.check(method.getName());
            try {
                return wrap.apply(method.invoke(real, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler));
    }
}
