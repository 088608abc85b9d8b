package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free, allocation-free multi-producer queue of (item, receivedAt) pairs, the items being plays
 * ({@code ListenRequest}) and progress updates ({@code ListenProgress}) (Vyukov's bounded queue).
 * Consumers must be serialized by the caller: one consumer at a time, with a happens-before edge between them.
 *
 * <p>Why it is safe. Each slot has a sequence number that says whose turn it is: {@code pos} means "free for the
 * producer that claims position {@code pos}", {@code pos + 1} means "filled, for the consumer at {@code pos}", and
 * {@code pos + slots} means "free again, for the producer one lap later". A producer claims a position with a CAS
 * on {@code tail}, so no two write one slot; it writes the item and the time with plain stores, then publishes
 * them by setting the sequence ({@code lazySet}, a release store). The consumer reads the sequence (a volatile load,
 * acquire), so when it sees {@code pos + 1} it also sees the item and the time written before it. It clears the
 * slot, then hands it back with another release store of the sequence, which orders the clearing before the next
 * producer's writes. {@code head} is written by the consumer alone and read by producers only to refuse early when
 * the queue is full; a stale read can only refuse an offer a moment too long, never overwrite a slot, since the
 * sequence check decides.
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
    long offer(Object item, @Nullable Instant receivedAt) {
        long pos = tail.get();
        for (;;) {
            if (pos - head >= capacity) {
                return 0;
            }
            int index = (int) pos & mask;
            long diff = sequences.get(index) - pos;
            if (diff == 0) {  // the slot is free for this position: claim the position
                if (tail.compareAndSet(pos, pos + 1)) {
                    items[index] = item;
                    times[index] = receivedAt;
                    sequences.lazySet(index, pos + 1);
                    return pos + 1;
                }
                pos = tail.get();
            } else if (diff < 0) {
                return 0;  // the slot still holds the entry of the previous lap: full
            } else {
                pos = tail.get();  // another producer took this position first: try the next one
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
                break;  // not published yet: a producer that claimed it may still be writing
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
