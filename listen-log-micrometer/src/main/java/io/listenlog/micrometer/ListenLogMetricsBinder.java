package io.listenlog.micrometer;

import io.listenlog.core.ListenLogListener;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import io.listenlog.micrometer.internal.BoundMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A {@link ListenLogger}'s metrics as Micrometer meters, usable with or without Spring:
 *
 * <pre>{@code
 * new ListenLogMetricsBinder(logger).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type, unit</th><th>tags</th></tr>
 *   <tr><td>{@code listenlog.listens}</td><td>function counter, listens</td>
 *       <td>{@code outcome}: written, dropped, rejected, abandoned</td></tr>
 *   <tr><td>{@code listenlog.progress.updates}</td><td>function counter, updates</td>
 *       <td>{@code outcome}: applied, unknown, dropped, rejected, abandoned</td></tr>
 *   <tr><td>{@code listenlog.store.retries}</td><td>function counter, retries</td><td></td></tr>
 *   <tr><td>{@code listenlog.queue.depth}</td><td>gauge, entries</td><td></td></tr>
 *   <tr><td>{@code listenlog.listens.pending}</td><td>gauge, listens</td><td></td></tr>
 *   <tr><td>{@code listenlog.store.writes}</td><td>timer</td><td>{@code outcome}: success</td></tr>
 *   <tr><td>{@code listenlog.store.write.failures}</td><td>counter, failures</td>
 *       <td>{@code exception}: the failure's simple class name; {@code retried}: true or false</td></tr>
 *   <tr><td>{@code listenlog.store.batch.size}</td><td>distribution summary, listens</td><td></td></tr>
 * </table>
 *
 * Every meter also carries the tags given to the constructor, so that several loggers in one application stay apart.
 * The counts come from {@link ListenLogger#metrics()}; the timer, the failures and the batch sizes from a
 * {@link ListenLogListener} the binder adds to the logger. No meter carries a client address or any row value.
 * {@link #close()} removes the listener and every meter it registered, so a logger that is replaced (a context
 * refreshed) leaves nothing behind.
 */
public final class ListenLogMetricsBinder implements MeterBinder, AutoCloseable {

    private final ListenLogger logger;
    private final Tags tags;
    private final BoundMeters bound = new BoundMeters();

    /** A binder for {@code logger} with no extra tags. */
    public ListenLogMetricsBinder(ListenLogger logger) {
        this(logger, Tags.empty());
    }

    /** A binder for {@code logger} whose meters all carry {@code tags} (e.g. {@code logger=radio}). */
    public ListenLogMetricsBinder(ListenLogger logger, Iterable<Tag> tags) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        listens(registry, "written", ListenLogMetrics::written);
        listens(registry, "dropped", ListenLogMetrics::dropped);
        listens(registry, "rejected", ListenLogMetrics::rejected);
        listens(registry, "abandoned", ListenLogMetrics::abandoned);
        progress(registry, "applied", p -> p.applied());
        progress(registry, "unknown", p -> p.unknown());
        progress(registry, "dropped", p -> p.dropped());
        progress(registry, "rejected", p -> p.rejected());
        progress(registry, "abandoned", p -> p.abandoned());
        bound.add(registry, FunctionCounter.builder("listenlog.store.retries", logger, l -> l.metrics().retries())
                .description("Store writes attempted again after a transient failure")
                .baseUnit("retries").tags(tags).register(registry));
        bound.add(registry, Gauge.builder("listenlog.queue.depth", logger, l -> l.metrics().queueDepth())
                .description("Plays and progress updates waiting in the logger's queue")
                .baseUnit("entries").tags(tags).register(registry));
        bound.add(registry, Gauge.builder("listenlog.listens.pending", logger, l -> l.metrics().pending())
                .description("Accepted listens not yet written, rejected or abandoned")
                .baseUnit("listens").tags(tags).register(registry));

        Timer writes = bound.add(registry, Timer.builder("listenlog.store.writes")
                .description("Successful store writes of one batch").tags(tags).tag("outcome", "success")
                .register(registry));
        DistributionSummary batchSizes = bound.add(registry, DistributionSummary.builder("listenlog.store.batch.size")
                .description("Listens per successful store write").baseUnit("listens").tags(tags)
                .register(registry));
        ListenLogListener listener = new ListenLogListener() {
            @Override
            public void onBatchWritten(int events, Duration took) {
                writes.record(took);
                batchSizes.record(events);
            }

            @Override
            public void onWriteFailed(Throwable failure, int events, boolean willRetry) {
                bound.add(registry, Counter.builder("listenlog.store.write.failures")
                        .description("Failed store writes, by exception class").baseUnit("failures").tags(tags)
                        .tag("exception", failure.getClass().getSimpleName())
                        .tag("retried", Boolean.toString(willRetry))
                        .register(registry)).increment();
            }
        };
        logger.addListener(listener);
        bound.onClose(() -> logger.removeListener(listener));
    }

    /** Removes the listener this binder added to the logger and every meter it registered. */
    @Override
    public void close() {
        bound.close();
    }

    private void listens(MeterRegistry registry, String outcome, ToDoubleFunction<ListenLogMetrics> count) {
        bound.add(registry, FunctionCounter.builder("listenlog.listens", logger, l -> count.applyAsDouble(l.metrics()))
                .description("Listens by outcome: every one logged is written, dropped, rejected or abandoned")
                .baseUnit("listens").tags(tags).tag("outcome", outcome).register(registry));
    }

    private void progress(MeterRegistry registry, String outcome, ToDoubleFunction<ListenLogMetrics.Progress> count) {
        bound.add(registry, FunctionCounter.builder("listenlog.progress.updates", logger,
                        l -> count.applyAsDouble(l.metrics().progress()))
                .description("Listening-time updates by outcome").baseUnit("updates").tags(tags)
                .tag("outcome", outcome).register(registry));
    }
}
