package io.listenlog.core.internal;

import io.listenlog.core.DispatchSettings;
import io.listenlog.core.ListenDispatcher;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenSink;
import io.listenlog.core.OverflowPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded queue in front of the sink, drained by one consumer at a time (a thread of its own, or executor tasks).
 * Keeps the count of settled requests that {@link #flush} waits on, and makes sure that a request that slips into
 * the queue while the dispatcher terminates is still abandoned and counted.
 */
abstract class QueueingDispatcher implements ListenDispatcher {
    private static final long BLOCK_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    protected final ListenSink sink;
    protected final DispatchSettings settings;
    protected final RequestQueue queue;
    private final ListenRequest[] batchRequests;
    private final Instant[] batchTimes;
    private final Object settledMonitor = new Object();
    private volatile long settled;
    private int flushWaiters;
    protected volatile boolean closing;
    private volatile long closeDeadline;
    private volatile boolean terminated;

    QueueingDispatcher(ListenSink sink, DispatchSettings settings) {
        this.sink = sink;
        this.settings = settings;
        this.queue = new RequestQueue(settings.queueCapacity());
        this.batchRequests = new ListenRequest[settings.batchSize()];
        this.batchTimes = new Instant[settings.batchSize()];
    }

    @Override
    public final boolean dispatch(ListenRequest request, Instant receivedAt) {
        if (closing) {
            return false;
        }
        long position = queue.offer(request, receivedAt);
        while (position == 0) {
            // An interrupted caller would make parkNanos return at once and spin; it gets a drop instead.
            if (settings.overflowPolicy() == OverflowPolicy.DROP || closing || Thread.currentThread().isInterrupted()) {
                return false;
            }
            onFull();
            LockSupport.parkNanos(BLOCK_PARK_NANOS);
            position = queue.offer(request, receivedAt);
        }
        if (terminated) {
            abandonLeftovers();
        } else {
            onEnqueued(position);
        }
        return true;
    }

    /** Called after a successful enqueue; {@code position} is 1-based. */
    protected abstract void onEnqueued(long position);

    /** Called while a {@link OverflowPolicy#BLOCK} producer waits for room. */
    protected abstract void onFull();

    /** Called when a flush starts waiting, so that partial batches are written now. */
    protected abstract void onFlushRequested();

    /**
     * Takes up to one batch from the queue and settles it through the sink. Only the current consumer may call this.
     *
     * @return how many requests were settled; 0 when the queue was empty
     */
    protected final int drainOneBatch() {
        int n = queue.drainTo(batchRequests, batchTimes, batchRequests.length);
        if (n == 0) {
            return 0;
        }
        try {
            sink.write(batchRequests, batchTimes, n, this::shouldGiveUp);
        } finally {
            settle(n);
        }
        return n;
    }

    /**
     * Drains until the queue is empty or, once closing, the close deadline has passed. Only the current consumer may
     * call this.
     */
    protected final void drainAll() {
        while (!shouldGiveUp() && drainOneBatch() > 0) {
            // keep going
        }
    }

    private boolean shouldGiveUp() {
        return closing && System.nanoTime() - closeDeadline >= 0;
    }

    /** Releases the batch arrays' references to {@code n} handled requests and counts them as settled. */
    private void settle(int n) {
        Arrays.fill(batchRequests, 0, n, null);
        Arrays.fill(batchTimes, 0, n, null);
        markSettled(n);
    }

    private void markSettled(int n) {
        synchronized (settledMonitor) {
            settled += n;
            if (flushWaiters > 0) {
                settledMonitor.notifyAll();
            }
        }
    }

    @Override
    public final boolean flush(Duration timeout) {
        long target = queue.enqueued();
        if (settled >= target) {
            return true;
        }
        onFlushRequested();
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

    @Override
    public final int queueDepth() {
        return queue.size();
    }

    @Override
    public final void close(Duration timeout) {
        closeDeadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        awaitConsumerStopped(timeout);
    }

    /** Lets the consumer finish its work until the deadline, then calls {@link #terminate()}. */
    protected abstract void awaitConsumerStopped(Duration timeout);

    protected final boolean isTerminated() {
        return terminated;
    }

    /** Called by the last consumer when it stops: from now on every leftover request is abandoned and counted. */
    protected final void terminate() {
        terminated = true;
        abandonLeftovers();
    }

    private void abandonLeftovers() {
        synchronized (this) {
            int n;
            while ((n = queue.drainTo(batchRequests, batchTimes, batchRequests.length)) > 0) {
                sink.abandon(n);
                settle(n);
            }
        }
    }
}
