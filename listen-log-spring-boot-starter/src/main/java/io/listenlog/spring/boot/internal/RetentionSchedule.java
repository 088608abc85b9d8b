package io.listenlog.spring.boot.internal;

import io.listenlog.jdbc.ListenRetention;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Runs retention on its own daemon thread, from startup until the application context closes. */
public final class RetentionSchedule implements AutoCloseable {
    private final ScheduledExecutorService executor;

    public RetentionSchedule(ListenRetention retention, Duration interval) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "listen-log-retention");
            thread.setDaemon(true);
            return thread;
        });
        try {
            retention.schedule(executor, interval);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
