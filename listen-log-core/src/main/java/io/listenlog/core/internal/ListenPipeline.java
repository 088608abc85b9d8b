package io.listenlog.core.internal;

import io.listenlog.core.ListenLogListener;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import io.listenlog.core.OverflowPolicy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way a play travels: a bounded lock-free queue, one writer thread that takes batches of up to
 * {@code batchSize} at the latest {@code maxBatchDelay} after they arrive, and the {@link EventWriter} that writes,
 * retries and counts them. Producers never touch the store. While a backlog waits (more than a batch in the queue
 * when the writer comes back), the writer takes up to {@link #BACKLOG_GROWTH} batches at once, so that each
 * transaction's fixed cost (locks, commit) is paid less often when the store falls behind.
 */
public final class ListenPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ListenPipeline.class);
    private static final long JOIN_GRACE_MILLIS = 1000;
    /** How many times {@code batchSize} one write takes while a backlog waits. */
    public static final int BACKLOG_GROWTH = 8;
    /**
     * The most events one grown write holds: every store's statements stay below the databases' bind-parameter
     * limits (SQLite's 32,766, pgjdbc's and MariaDB's 65,535) with an {@code IN} list of its listen ids.
     */
    public static final int MAX_GROWN_BATCH = 16_384;

    private final RequestQueue queue;
    private final EventWriter writer;
    private final Counters counters;
    private final OverflowPolicy overflowPolicy;
    private final long blockTimeoutNanos;
    private final long maxDelayNanos;
    private final int batchSize;
    private final int backlogBatchSize;
    private final Object[] batchItems;
    private final Instant[] batchTimes;
    private final Thread writerThread;
    private final RateLimitedLog dropWarnings = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();
    private volatile int blockedProducers;

    private final Object settledMonitor = new Object();
    private volatile long settled;
    private int flushWaiters;

    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile boolean terminated;

    /** Settings of a pipeline, validated by {@code ListenLogger.Builder}. */
    public record Settings(int queueCapacity, int batchSize, Duration maxBatchDelay, OverflowPolicy overflowPolicy,
                           Duration blockTimeout, ThreadFactory threadFactory) {
    }

    public ListenPipeline(ListenStore store, EventNormalizer normalizer, RetryBackoff backoff, Settings settings) {
        this.counters = new Counters();
        this.writer = new EventWriter(store, normalizer, counters, backoff);
        this.queue = new RequestQueue(settings.queueCapacity());
        this.overflowPolicy = settings.overflowPolicy();
        this.blockTimeoutNanos = settings.blockTimeout().toNanos();
        this.maxDelayNanos = settings.maxBatchDelay().toNanos();
        this.batchSize = settings.batchSize();
        this.backlogBatchSize = backlogBatchSize(settings.batchSize(), settings.queueCapacity());
        this.batchItems = new Object[backlogBatchSize];
        this.batchTimes = new Instant[backlogBatchSize];
        this.writerThread = settings.threadFactory().newThread(this::run);
        if (writerThread == null) {
            throw new IllegalStateException("the threadFactory returned no thread for the listen-log writer");
        }
        writerThread.start();
    }

    /**
     * Takes one play, or counts it as dropped.
     *
     * @param receivedAt the clock reading when the request has no {@code occurredAt}, else {@code null}
     * @return whether it was accepted
     */
    public boolean offer(ListenRequest request, @Nullable Instant receivedAt) {
        if (closing) {
            return drop("the logger is closed");
        }
        counters.accepted.increment();
        if (enqueue(request, receivedAt)) {
            return true;
        }
        counters.accepted.decrement();
        return drop(closing ? "the logger is closed" : "the queue is full");
    }

    /** Takes one progress update, or counts it as dropped; it travels the same queue as the plays, after them. */
    public boolean offer(ListenProgress progress) {
        if (!closing) {
            counters.progressAccepted.increment();
            if (enqueue(progress, null)) {
                return true;
            }
            counters.progressAccepted.decrement();
        }
        counters.progressDropped.increment();
        return false;
    }

    private boolean enqueue(Object item, @Nullable Instant receivedAt) {
        long position = queue.offer(item, receivedAt);
        if (position == 0) {
            position = overflowPolicy == OverflowPolicy.BLOCK ? awaitRoom(item, receivedAt) : 0;
            if (position == 0) {
                return false;
            }
        }
        if (terminated) {
            abandonLeftovers();
        } else if (position % batchSize == 0) {
            LockSupport.unpark(writerThread);
        }
        return true;
    }

    /** Waits for the writer to free room, at most {@code blockTimeout}; 0 when it did not, or the caller was interrupted. */
    private long awaitRoom(Object item, @Nullable Instant receivedAt) {
        long deadline = System.nanoTime() + blockTimeoutNanos;
        roomLock.lock();
        try {
            blockedProducers++;
            for (;;) {
                // Announced as blocked before this offer, so the writer's signal after a drain cannot be missed.
                long position = queue.offer(item, receivedAt);
                long left = deadline - System.nanoTime();
                if (position != 0 || closing || left <= 0) {
                    return position;
                }
                LockSupport.unpark(writerThread);
                room.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            blockedProducers--;
            roomLock.unlock();
        }
    }

    private boolean drop(String why) {
        counters.dropped.increment();
        if (dropWarnings.tryAcquire()) {
            dropWarnings.log("listen-log dropped a listen: {} (dropped so far: {})", why, counters.dropped.sum());
        }
        return false;
    }

    private void run() {
        try {
            while (!closing) {
                if (drainOneBatch() < batchSize) {
                    LockSupport.parkNanos(this, maxDelayNanos);
                }
            }
            while (!shouldGiveUp() && drainOneBatch() > 0) {
                // drain what is left within the close deadline
            }
        } finally {
            terminated = true;
            abandonLeftovers();
        }
    }

    /** A host's {@code batchSize} above the grown limit is kept: growth never makes a write smaller. */
    static int backlogBatchSize(int batchSize, int queueCapacity) {
        long grown = Math.min((long) batchSize * BACKLOG_GROWTH, Math.min(queueCapacity, MAX_GROWN_BATCH));
        return (int) Math.max(batchSize, grown);
    }

    private int drainOneBatch() {
        int n = queue.drainTo(batchItems, batchTimes, queue.size() > batchSize ? backlogBatchSize : batchSize);
        if (n == 0) {
            return 0;
        }
        signalRoom();
        try {
            writer.write(batchItems, batchTimes, n, this::shouldGiveUp);
        } finally {
            settle(n);
        }
        return n;
    }

    private void signalRoom() {
        if (blockedProducers > 0) {
            roomLock.lock();
            try {
                room.signalAll();
            } finally {
                roomLock.unlock();
            }
        }
    }

    private boolean shouldGiveUp() {
        return closing && System.nanoTime() - closeDeadline >= 0;
    }

    private void settle(int n) {
        Arrays.fill(batchItems, 0, n, null);
        Arrays.fill(batchTimes, 0, n, null);
        synchronized (settledMonitor) {
            settled += n;
            if (flushWaiters > 0) {
                settledMonitor.notifyAll();
            }
        }
    }

    /** A request that slips into the queue while the writer stops is abandoned and counted, never lost. */
    private void abandonLeftovers() {
        synchronized (this) {
            int n;
            while ((n = queue.drainTo(batchItems, batchTimes, batchItems.length)) > 0) {
                writer.abandon(batchItems, n);
                settle(n);
            }
        }
        signalRoom();
    }

    /** Waits until every request accepted before the call is written, rejected or abandoned. */
    public boolean flush(Duration timeout) {
        long target = queue.enqueued();
        if (settled >= target) {
            return true;
        }
        LockSupport.unpark(writerThread);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (settledMonitor) {
            flushWaiters++;
            try {
                while (settled < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(settledMonitor, left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return settled >= target;
            } finally {
                flushWaiters--;
            }
        }
    }

    public ListenLogMetrics metrics() {
        return counters.snapshot(queue.size());
    }

    /** How many accepted events were abandoned so far. */
    public long abandoned() {
        return counters.abandoned.get();
    }

    public void addListener(ListenLogListener listener) {
        writer.addListener(listener);
    }

    public void removeListener(ListenLogListener listener) {
        writer.removeListener(listener);
    }

    /** Stops accepting, lets the writer drain until {@code timeout}, then abandons what is left. */
    public void close(Duration timeout) {
        closeDeadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        signalRoom();
        LockSupport.unpark(writerThread);
        try {
            writerThread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()) + JOIN_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            LOG.error("listen-log writer thread {} is still inside a store write {} after close began; it will "
                    + "abandon and count what is left when the write returns", writerThread.getName(), timeout);
        }
    }
}
