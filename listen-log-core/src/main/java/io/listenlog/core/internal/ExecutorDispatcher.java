package io.listenlog.core.internal;

import io.listenlog.core.DispatchSettings;
import io.listenlog.core.ListenSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/** The batching queue drained by tasks on a host executor, at most one task at a time. */
public final class ExecutorDispatcher extends QueueingDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDispatcher.class);
    private static final long OWNERSHIP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Executor executor;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final RateLimitedLog rejectedTaskWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    public ExecutorDispatcher(ListenSink sink, DispatchSettings settings, Executor executor) {
        super(sink, settings);
        this.executor = executor;
    }

    @Override
    protected void onEnqueued(long position) {
        scheduleDrain();
    }

    @Override
    protected void onFull() {
        scheduleDrain();
    }

    @Override
    protected void onFlushRequested() {
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (draining.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drainTask);
        } catch (RuntimeException e) {
            draining.set(false);
            rejectedTaskWarnings.warn("listen-log could not submit a drain task to {}; the queued listens wait for "
                    + "the next attempt or for close(): {}", executor, e.toString());
        }
    }

    private void drainTask() {
        for (;;) {
            drainAll();
            if (closing) {
                // This task stays the consumer for good: nothing may drain after termination.
                terminate();
                return;
            }
            draining.set(false);
            if (queueDepth() == 0 || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    @Override
    protected void awaitConsumerStopped(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos() + CLOSE_GRACE_NANOS;
        while (!isTerminated()) {
            if (draining.compareAndSet(false, true)) {
                drainAll();
                terminate();
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                LOG.error("listen-log drain task on {} is still inside a store write {} after close began; it will "
                        + "abandon and count what is left when the write returns", executor, timeout);
                return;
            }
            LockSupport.parkNanos(OWNERSHIP_POLL_NANOS);
        }
    }
}
