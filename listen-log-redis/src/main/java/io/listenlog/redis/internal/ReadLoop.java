package io.listenlog.redis.internal;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The consumer's worker once connected: reads new entries of the group, claims those another consumer left
 * unacknowledged (dead-lettering the ones delivered too often), and hands them to the {@link BatchSettler}, until it
 * is told to stop; a failed round is retried with backoff.
 */
public final class ReadLoop {

    public record Settings(String stream, String group, String name, int batchSize, Duration block,
                           Duration claimIdle, int maxDeliveries) {
    }

    private final Settings settings;
    private final ConsumerCounters counters;
    private final ConsumerRetries retries;
    private final BatchSettler settler;
    private final Logger log;

    public ReadLoop(Settings settings, ConsumerCounters counters, ConsumerRetries retries, BatchSettler settler,
                    Logger log) {
        this.settings = settings;
        this.counters = counters;
        this.retries = retries;
        this.settler = settler;
        this.log = log;
    }

    /**
     * Runs while {@code running} says so; an interrupt of the worker thread calls {@code stop} and ends it, leaving
     * the entries in hand pending for a claim.
     */
    @SuppressWarnings("unchecked")  // Lettuce's xreadgroup takes its stream offsets as generic varargs
    public void run(RedisCommands<String, String> redis, BooleanSupplier running, Runnable stop) {
        long claimEveryNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(100),
                Math.min(settings.claimIdle().toNanos() / 2, TimeUnit.SECONDS.toNanos(30)));
        long nextClaim = System.nanoTime();
        int failures = 0;
        Consumer<String> me = Consumer.from(settings.group(), settings.name());
        XReadArgs readArgs = XReadArgs.Builder.count(settings.batchSize()).block(settings.block());
        while (running.getAsBoolean()) {
            if (Thread.currentThread().isInterrupted()) {
                // Whoever interrupts the worker wants it to stop; going on would spin on "Command interrupted".
                stop.run();
                log.warn("consumer {}: its worker thread was interrupted, so it stopped; entries in hand stay pending"
                        + " for a claim", settings.name());
                break;
            }
            try {
                if (System.nanoTime() - nextClaim >= 0) {
                    claimAbandoned(redis, me);
                    nextClaim = System.nanoTime() + claimEveryNanos;
                }
                List<StreamMessage<String, String>> messages =
                        redis.xreadgroup(me, readArgs, XReadArgs.StreamOffset.lastConsumed(settings.stream()));
                if (!messages.isEmpty()) {
                    counters.entriesRead.addAndGet(messages.size());
                    settler.process(redis, messages);
                }
                failures = 0;
            } catch (RuntimeException e) {
                if (!running.getAsBoolean()) {
                    break;
                }
                failures++;
                retries.warn("consumer " + settings.name() + ": " + (e instanceof RedisException
                        ? "Redis failed (" + e.getMessage() + ")" : "a batch failed (" + e + ")") + "; retrying");
                retries.backoff(failures);
            }
        }
    }

    /** Takes over entries another consumer left unacknowledged for {@code claimIdle}, dead-lettering poison ones. */
    private void claimAbandoned(RedisCommands<String, String> redis, Consumer<String> me) {
        ClaimedMessages<String, String> result = redis.xautoclaim(settings.stream(),
                XAutoClaimArgs.Builder.xautoclaim(me, settings.claimIdle(), "0-0").count(settings.batchSize()));
        List<StreamMessage<String, String>> messages = result.getMessages();
        if (messages.isEmpty()) {
            return;
        }
        counters.claimed.addAndGet(messages.size());
        counters.entriesRead.addAndGet(messages.size());
        Map<String, Long> deliveries = new HashMap<>();
        for (PendingMessage pending : redis.xpending(settings.stream(), me,
                Range.create(messages.get(0).getId(), messages.get(messages.size() - 1).getId()),
                Limit.from(messages.size()))) {
            deliveries.put(pending.getId(), pending.getRedeliveryCount());
        }
        List<StreamMessage<String, String>> retry = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            long count = deliveries.getOrDefault(message.getId(), 0L);
            if (count > settings.maxDeliveries()) {
                settler.deadLetter(redis, message, "delivered " + count + " times without being acknowledged");
            } else {
                retry.add(message);
            }
        }
        log.info("consumer {}: claimed {} entries left unacknowledged for {}", settings.name(), messages.size(), settings.claimIdle());
        if (!retry.isEmpty()) {
            settler.process(redis, retry);
        }
    }
}
