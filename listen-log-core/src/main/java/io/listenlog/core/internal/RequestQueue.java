package io.listenlog.core.internal;


import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free, allocation-free multi-producer queue of (item, receivedAt) pairs, the items being plays
 * ({@code ListenRequest}) and progress updates ({@code ListenProgress}) (Vyukov's bounded queue).
 * Consumers must be serialized by the caller: one consumer at a time, with a happens-before edge between them.
 */
final class RequestQueue {
    private final int capacity;
    private final int mask;
    private final AtomicLongArray sequences;
    private final Object[] items;
    private final Instant[] times;
    private final AtomicLong tail = new AtomicLong();
    private volatile long head;

    RequestQueue(int capacity) {
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.mask = slots - 1;
        this.sequences = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            sequences.set(i, i);
        }
        this.items = new Object[slots];
        this.times = new Instant[slots];
    }

    /** @return the 1-based position of the item in the queue's history, or 0 if the queue is full */
    long offer(Object item, Instant receivedAt) {
        long pos = tail.get();
        for (;;) {
            if (pos - head >= capacity) {
                return 0;
            }
            int index = (int) pos & mask;
            long diff = sequences.get(index) - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    items[index] = item;
                    times[index] = receivedAt;
                    sequences.lazySet(index, pos + 1);
                    return pos + 1;
                }
                pos = tail.get();
            } else if (diff < 0) {
                return 0;
            } else {
                pos = tail.get();
            }
        }
    }

    /** Moves up to {@code max} published entries into the arrays, starting at index 0; returns how many. */
    int drainTo(Object[] itemsOut, Instant[] timesOut, int max) {
        long pos = head;
        int n = 0;
        while (n < max) {
            int index = (int) pos & mask;
            if (sequences.get(index) != pos + 1) {
                break;
            }
            itemsOut[n] = items[index];
            timesOut[n] = times[index];
            items[index] = null;
            times[index] = null;
            sequences.lazySet(index, pos + mask + 1);
            pos++;
            n++;
        }
        head = pos;
        return n;
    }

    /** How many items have been offered successfully since creation. */
    long enqueued() {
        return tail.get();
    }

    int size() {
        long size = tail.get() - head;
        return (int) Math.max(0, Math.min(size, capacity));
    }
}
