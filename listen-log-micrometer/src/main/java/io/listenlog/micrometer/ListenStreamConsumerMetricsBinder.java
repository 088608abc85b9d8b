package io.listenlog.micrometer;

import io.listenlog.micrometer.internal.BoundMeters;
import io.listenlog.redis.ListenStreamConsumer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A {@link ListenStreamConsumer}'s figures as Micrometer meters (needs {@code listen-log-redis}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type, unit</th><th>tags</th></tr>
 *   <tr><td>{@code listenlog.consumer.entries}</td><td>function counter, entries</td>
 *       <td>{@code outcome}: read, claimed, dead-lettered, dead-letters-trimmed</td></tr>
 *   <tr><td>{@code listenlog.consumer.plays.written}</td><td>function counter, listens</td><td></td></tr>
 *   <tr><td>{@code listenlog.consumer.failures}</td><td>function counter, failures</td>
 *       <td>retried after a wait: Redis or the store failing</td></tr>
 *   <tr><td>{@code listenlog.consumer.progress.updates}</td><td>function counter, updates</td>
 *       <td>{@code outcome}: applied, requeued, unknown</td></tr>
 *   <tr><td>{@code listenlog.consumer.lag}</td><td>gauge, entries</td><td>not yet delivered to the group</td></tr>
 *   <tr><td>{@code listenlog.consumer.pending}</td><td>gauge, entries</td><td>delivered, not acknowledged</td></tr>
 *   <tr><td>{@code listenlog.consumer.dead.letters}</td><td>gauge, entries</td><td>in the dead-letter stream</td></tr>
 * </table>
 *
 * The gauges read Redis (-1 while it is away); one reading serves every meter for a second, so a scrape costs one
 * round of Redis commands. Every meter carries the constructor's tags and {@code consumer}, the consumer's name.
 */
public final class ListenStreamConsumerMetricsBinder implements MeterBinder, AutoCloseable {
    private static final long READING_NANOS = 1_000_000_000L;

    private final ListenStreamConsumer consumer;
    private final Tags tags;
    private final BoundMeters bound = new BoundMeters();
    private ListenStreamConsumer.@Nullable Metrics reading;
    private long readAt;

    public ListenStreamConsumerMetricsBinder(ListenStreamConsumer consumer) {
        this(consumer, Tags.empty());
    }

    public ListenStreamConsumerMetricsBinder(ListenStreamConsumer consumer, Iterable<Tag> tags) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("consumer", consumer.name());
    }

    private synchronized ListenStreamConsumer.Metrics metrics() {
        long now = System.nanoTime();
        if (reading == null || now - readAt > READING_NANOS) {
            try {
                reading = consumer.metrics();
            } catch (IllegalStateException notStarted) {
                reading = new ListenStreamConsumer.Metrics(0, 0, 0, 0, 0, 0, 0, -1, -1, -1);
            }
            readAt = now;
        }
        return reading;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        entries(registry, "read", ListenStreamConsumer.Metrics::entriesRead);
        entries(registry, "claimed", ListenStreamConsumer.Metrics::claimed);
        entries(registry, "dead-lettered", ListenStreamConsumer.Metrics::deadLettered);
        entries(registry, "dead-letters-trimmed", ListenStreamConsumer.Metrics::deadLettersTrimmed);
        bound.add(registry, FunctionCounter.builder("listenlog.consumer.plays.written", this,
                        b -> b.metrics().playsWritten())
                .description("Plays the consumer's store committed").baseUnit("listens").tags(tags)
                .register(registry));
        bound.add(registry, FunctionCounter.builder("listenlog.consumer.failures", this, b -> b.metrics().failures())
                .description("Failures the consumer retried after a wait: Redis or the store failing")
                .baseUnit("failures").tags(tags).register(registry));
        progress(registry, "applied", ListenStreamConsumer.Metrics::progressApplied);
        progress(registry, "requeued", ListenStreamConsumer.Metrics::progressRequeued);
        progress(registry, "unknown", ListenStreamConsumer.Metrics::progressUnknown);
        gauge(registry, "listenlog.consumer.lag", "Stream entries not yet delivered to the group",
                ListenStreamConsumer.Metrics::lag);
        gauge(registry, "listenlog.consumer.pending", "Entries delivered to the group and not acknowledged",
                ListenStreamConsumer.Metrics::pending);
        gauge(registry, "listenlog.consumer.dead.letters", "Entries in the dead-letter stream",
                ListenStreamConsumer.Metrics::deadLetterLength);
    }

    private void entries(MeterRegistry registry, String outcome, ToDoubleFunction<ListenStreamConsumer.Metrics> f) {
        bound.add(registry, FunctionCounter.builder("listenlog.consumer.entries", this, b -> f.applyAsDouble(b.metrics()))
                .description("Stream entries by what the consumer did with them").baseUnit("entries").tags(tags)
                .tag("outcome", outcome).register(registry));
    }

    private void progress(MeterRegistry registry, String outcome, ToDoubleFunction<ListenStreamConsumer.Metrics> f) {
        bound.add(registry, FunctionCounter.builder("listenlog.consumer.progress.updates", this,
                        b -> f.applyAsDouble(b.metrics()))
                .description("Listening-time updates by outcome").baseUnit("updates").tags(tags)
                .tag("outcome", outcome).register(registry));
    }

    private void gauge(MeterRegistry registry, String name, String description,
                       ToDoubleFunction<ListenStreamConsumer.Metrics> f) {
        bound.add(registry, Gauge.builder(name, this, b -> f.applyAsDouble(b.metrics())).description(description)
                .baseUnit("entries").tags(tags).register(registry));
    }

    /** Removes every meter this binder registered. */
    @Override
    public void close() {
        bound.close();
    }
}
