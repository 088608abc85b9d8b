package io.listenlog.core.internal;

import io.listenlog.core.DispatchSettings;
import io.listenlog.core.ListenSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** The default dispatcher: one daemon writer thread drains the queue in batches. */
public final class BatchingDispatcher extends QueueingDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingDispatcher.class);
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final long JOIN_GRACE_MILLIS = 1000;

    private final Thread writer;
    private final long maxDelayNanos;
    private final int batchSize;

    public BatchingDispatcher(ListenSink sink, DispatchSettings settings) {
        super(sink, settings);
        this.maxDelayNanos = settings.maxBatchDelay().toNanos();
        this.batchSize = settings.batchSize();
        this.writer = new Thread(this::run, "listen-log-writer-" + THREAD_NUMBERS.incrementAndGet());
        writer.setDaemon(true);
        writer.start();
    }

    private void run() {
        try {
            while (!closing) {
                if (drainOneBatch() < batchSize) {
                    LockSupport.parkNanos(this, maxDelayNanos);
                }
            }
            drainAll();
        } finally {
            terminate();
        }
    }

    @Override
    protected void onEnqueued(long position) {
        if (position % batchSize == 0) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    protected void onFull() {
        LockSupport.unpark(writer);
    }

    @Override
    protected void onFlushRequested() {
        LockSupport.unpark(writer);
    }

    @Override
    protected void awaitConsumerStopped(Duration timeout) {
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()) + JOIN_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.error("listen-log writer thread {} is still inside a store write {} after close began; it will "
                    + "abandon and count what is left when the write returns", writer.getName(), timeout);
        }
    }
}
