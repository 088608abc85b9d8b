package io.listenlog.redis.internal;

import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import io.listenlog.core.internal.StoreFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a stream consumer does with a batch of entries: decodes and checks them, writes the plays, applies the
 * progress, acknowledges what the store committed (only the acknowledgement is retried after a commit), and
 * dead-letters what no store could take, with core's {@link StoreFailures} deciding retry or rejection.
 */
public final class BatchSettler {
    /** Where and how entries are settled. */
    public record Settings(String stream, String group, String name, String deadLetterStream, long deadLetterMaxLength,
                           int maxDeliveries, long maxListenSeconds) {
    }

    private final ListenStore store;
    private final String stream;
    private final String group;
    private final String name;
    private final String deadLetterStream;
    private final long deadLetterMaxLength;
    private final int maxDeliveries;
    private final long maxListenSeconds;
    private final ConsumerCounters counters;
    private final ConsumerRetries retries;
    private final BooleanSupplier running;
    private final Logger log;

    public BatchSettler(ListenStore store, Settings settings, ConsumerCounters counters, ConsumerRetries retries,
                        BooleanSupplier running, Logger log) {
        this.store = store;
        this.stream = settings.stream();
        this.group = settings.group();
        this.name = settings.name();
        this.deadLetterStream = settings.deadLetterStream();
        this.deadLetterMaxLength = settings.deadLetterMaxLength();
        this.maxDeliveries = settings.maxDeliveries();
        this.maxListenSeconds = settings.maxListenSeconds();
        this.counters = counters;
        this.retries = retries;
        this.running = running;
        this.log = log;
    }

    /** Stores a batch read or claimed: plays first, then progress; dead-letters what no store could take. */
    public void process(RedisCommands<String, String> redis, List<StreamMessage<String, String>> messages) {
        List<StreamMessage<String, String>> playMessages = new ArrayList<>(messages.size());
        List<ListenEvent> plays = new ArrayList<>(messages.size());
        List<StreamMessage<String, String>> progressMessages = new ArrayList<>();
        List<StreamEntries.Decoded> progress = new ArrayList<>();
        for (StreamMessage<String, String> message : messages) {
            StreamEntries.Decoded decoded;
            try {
                decoded = StreamEntries.decode(message.getBody(), maxListenSeconds);
            } catch (RuntimeException e) {
                deadLetter(redis, message, "malformed entry: " + e.getMessage());
                continue;
            }
            if (decoded.play() != null) {
                playMessages.add(message);
                plays.add(decoded.play());
            } else {
                progressMessages.add(message);
                progress.add(decoded);
            }
        }
        if (!plays.isEmpty() && !writePlays(redis, playMessages, plays)) {
            return;  // closing while the store fails: everything stays pending, for a claim
        }
        if (!progress.isEmpty()) {
            applyProgress(redis, progressMessages, progress);
        }
    }

    /** Writes plays, isolating rejected ones; returns {@code false} when it gave up because the consumer is closing. */
    private boolean writePlays(RedisCommands<String, String> redis, List<StreamMessage<String, String>> messages,
                               List<ListenEvent> plays) {
        Settled<Void> settled = untilSettled(() -> {
            store.write(plays);
            return null;
        }, false);
        if (settled == null) {
            return false;
        }
        if (settled.refusal() != null) {
            return writeAround(redis, messages, plays, settled.refusal());
        }
        counters.playsWritten.addAndGet(plays.size());
        // Committed: only the acknowledgement is retried, never the write.
        return acknowledgeUntilDone(redis, messages);
    }

    /** What a store call came to: its value, or the rejection that says it will never succeed. */
    private record Settled<T>(@Nullable T value, @Nullable ListenStoreException refusal) {
    }

    /**
     * Calls the store until it succeeds or refuses for good, as core's {@link StoreFailures} classifies the failure
     * for the logger too ({@code update}: the call is {@code updateDurations}), retrying every other failure with
     * backoff.
     *
     * @return {@code null} when the consumer is closing while the store still fails
     */
    private <T> @Nullable Settled<T> untilSettled(Supplier<T> call, boolean update) {
        int failures = 0;
        while (true) {
            try {
                return new Settled<>(call.get(), null);
            } catch (RuntimeException e) {
                StoreFailures.Outcome outcome = update ? StoreFailures.classifyUpdate(e) : StoreFailures.classify(e);
                if (outcome == StoreFailures.Outcome.REJECT) {
                    return new Settled<>(null, StoreFailures.asRejection(e));
                }
                if (!running.getAsBoolean()) {
                    return null;
                }
                failures++;
                retries.warn("consumer " + name + ": the store failed ("
                        + (e instanceof ListenStoreException ? e.getMessage() : e.toString()) + "); retrying");
                retries.backoff(failures);
            }
        }
    }

    private boolean writeAround(RedisCommands<String, String> redis, List<StreamMessage<String, String>> messages,
                                List<ListenEvent> plays, ListenStoreException rejection) {
        BitSet rejected = StoreFailures.named(rejection, plays.size());
        if (rejected.isEmpty()) {
            int half = plays.size() / 2;
            return writePlays(redis, messages.subList(0, half), plays.subList(0, half))
                    && writePlays(redis, messages.subList(half, plays.size()), plays.subList(half, plays.size()));
        }
        for (int index = rejected.nextSetBit(0); index >= 0; index = rejected.nextSetBit(index + 1)) {
            deadLetter(redis, messages.get(index), "rejected by the store: " + rejection.getMessage());
        }
        List<StreamMessage<String, String>> restMessages = new ArrayList<>();
        List<ListenEvent> rest = new ArrayList<>();
        for (int i = 0; i < plays.size(); i++) {
            if (!rejected.get(i)) {
                restMessages.add(messages.get(i));
                rest.add(plays.get(i));
            }
        }
        return rest.isEmpty() || writePlays(redis, restMessages, rest);
    }

    private void applyProgress(RedisCommands<String, String> redis, List<StreamMessage<String, String>> messages,
                               List<StreamEntries.Decoded> updates) {
        List<ListenProgress> reports = updates.stream().map(u -> Objects.requireNonNull(u.progress())).toList();
        Map<UUID, ListenProgress> largest = new LinkedHashMap<>();
        for (ListenProgress report : reports) {
            largest.merge(report.listenId(), report, (a, b) -> a.listenedSeconds() >= b.listenedSeconds() ? a : b);
        }
        List<ListenProgress> batch = List.copyOf(largest.values());
        Settled<Set<UUID>> settled = untilSettled(() -> store.updateDurations(batch), true);
        if (settled == null) {
            return;
        }
        if (settled.refusal() != null) {
            for (StreamMessage<String, String> message : messages) {
                deadLetter(redis, message, "progress rejected by the store: " + settled.refusal().getMessage());
            }
            return;
        }
        Set<UUID> unknown = Objects.requireNonNull(settled.value(), "a store's updateDurations result");
        for (int i = 0; i < messages.size(); i++) {
            StreamEntries.Decoded update = updates.get(i);
            ListenProgress report = reports.get(i);
            if (!unknown.contains(report.listenId())) {
                counters.progressApplied.incrementAndGet();
            } else if (update.attempt() < maxDeliveries) {
                redis.xadd(stream, StreamEntries.progressBody(report, update.attempt() + 1));
                counters.progressRequeued.incrementAndGet();
            } else {
                counters.progressUnknown.incrementAndGet();
                log.debug("consumer {}: progress for listen {} names no stored listen after {} attempts", name,
                        report.listenId(), update.attempt() + 1);
            }
        }
        acknowledgeUntilDone(redis, messages);
    }

    public void deadLetter(RedisCommands<String, String> redis, StreamMessage<String, String> message, String reason) {
        Map<String, String> body = new LinkedHashMap<>(message.getBody());
        body.put("reason", reason);
        body.put("origin-id", message.getId());
        body.put("origin-stream", stream);
        redis.xadd(deadLetterStream, body);
        if (redis.xlen(deadLetterStream) > deadLetterMaxLength) {
            // Never silent: the oldest dead letters go, counted and logged, so that the stream cannot fill Redis.
            long trimmed = redis.xtrim(deadLetterStream, deadLetterMaxLength);
            counters.deadLettersTrimmed.addAndGet(trimmed);
            retries.warn("consumer " + name + ": the dead-letter stream " + deadLetterStream + " reached its cap of "
                    + deadLetterMaxLength + " entries; " + counters.deadLettersTrimmed.get() + " of the oldest have been"
                    + " removed so far: read and clear it");
        }
        redis.xack(stream, group, message.getId());
        counters.deadLettered.incrementAndGet();
        log.warn("consumer {}: entry {} moved to {}: {}", name, message.getId(), deadLetterStream, reason);
    }

    /**
     * Acknowledges what the store committed, retrying only the acknowledgement while Redis fails.
     *
     * @return {@code false} when the consumer is closing while Redis still fails: the entries stay pending, and their
     *         claim writes them again harmlessly (listen ids are stored once)
     */
    private boolean acknowledgeUntilDone(RedisCommands<String, String> redis,
                                         List<StreamMessage<String, String>> messages) {
        String[] ids = new String[messages.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = messages.get(i).getId();
        }
        for (int failures = 1; ; failures++) {
            try {
                redis.xack(stream, group, ids);
                return true;
            } catch (RedisException e) {
                if (!running.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    return false;
                }
                retries.warn("consumer " + name + ": could not acknowledge " + ids.length + " stored entries (" + e.getMessage()
                        + "); retrying the acknowledgement only");
                retries.backoff(failures);
            }
        }
    }
}
