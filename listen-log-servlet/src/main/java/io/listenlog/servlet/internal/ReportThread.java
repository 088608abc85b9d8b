package io.listenlog.servlet.internal;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one daemon thread a filter reports listening time on (streams, HLS listens), made when first needed and
 * stopped with the filter.
 */
public final class ReportThread {
    private final Object lock = new Object();
    private volatile @Nullable ScheduledExecutorService scheduler;

    public ScheduledExecutorService scheduler() {
        ScheduledExecutorService current = scheduler;
        if (current == null) {
            synchronized (lock) {  // a private lock: the filter is the host's object, and may be locked
                if (scheduler == null) {
                    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                        Thread thread = new Thread(runnable, "listen-log-progress");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                current = scheduler;
            }
        }
        return current;
    }

    public void stop() {
        ScheduledExecutorService current = scheduler;
        if (current != null) {
            current.shutdownNow();
        }
    }
}
