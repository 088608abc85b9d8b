package io.listenlog.core;

import java.time.Duration;

/**
 * The queueing settings of a {@link ListenLogger}, as its {@link ListenDispatcher.Factory} receives them.
 *
 * @param queueCapacity   how many accepted requests may wait at most
 * @param batchSize       the most events written in one store call
 * @param maxBatchDelay   the longest an accepted request waits before the writer takes it
 * @param overflowPolicy  what happens when the queue is full
 * @param shutdownTimeout how long close may spend draining
 */
public record DispatchSettings(
        int queueCapacity,
        int batchSize,
        Duration maxBatchDelay,
        OverflowPolicy overflowPolicy,
        Duration shutdownTimeout) {
}
