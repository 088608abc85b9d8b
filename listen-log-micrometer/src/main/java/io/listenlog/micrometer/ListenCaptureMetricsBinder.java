package io.listenlog.micrometer;

import io.listenlog.micrometer.internal.BoundMeters;
import io.listenlog.servlet.IcecastListenerServlet;
import io.listenlog.servlet.ListenLogFilter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The capture side's figures as Micrometer meters (needs {@code listen-log-servlet}): the filter's player reports and
 * the Icecast callbacks' pairing, for either or both.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type, unit</th><th>tags</th></tr>
 *   <tr><td>{@code listenlog.beacon.reports}</td><td>function counter, reports</td>
 *       <td>{@code outcome}: accepted, forged, wrong-source, expired, bad-seconds, malformed</td></tr>
 *   <tr><td>{@code listenlog.icecast.callbacks}</td><td>function counter, callbacks</td>
 *       <td>{@code outcome}: unmatched-removal, forgotten-listener, cut-duration</td></tr>
 * </table>
 *
 * Every meter carries the constructor's tags.
 */
public final class ListenCaptureMetricsBinder implements MeterBinder, AutoCloseable {
    private final @Nullable ListenLogFilter filter;
    private final @Nullable IcecastListenerServlet icecast;
    private final Tags tags;
    private final BoundMeters bound = new BoundMeters();

    /**
     * @param filter  the filter whose reports are counted, or {@code null}
     * @param icecast the Icecast callbacks whose pairing is counted, or {@code null}
     */
    public ListenCaptureMetricsBinder(@Nullable ListenLogFilter filter, @Nullable IcecastListenerServlet icecast,
                                      Iterable<Tag> tags) {
        if (filter == null && icecast == null) {
            throw new IllegalArgumentException("give the filter, the Icecast servlet, or both");
        }
        this.filter = filter;
        this.icecast = icecast;
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ListenLogFilter filter = this.filter;
        if (filter != null) {
            report(registry, filter, "accepted", ListenLogFilter.BeaconMetrics::accepted);
            report(registry, filter, "forged", ListenLogFilter.BeaconMetrics::forged);
            report(registry, filter, "wrong-source", ListenLogFilter.BeaconMetrics::wrongSource);
            report(registry, filter, "expired", ListenLogFilter.BeaconMetrics::expired);
            report(registry, filter, "bad-seconds", ListenLogFilter.BeaconMetrics::badSeconds);
            report(registry, filter, "malformed", ListenLogFilter.BeaconMetrics::malformed);
        }
        IcecastListenerServlet icecast = this.icecast;
        if (icecast != null) {
            callback(registry, icecast, "unmatched-removal", IcecastListenerServlet::unmatchedRemovals);
            callback(registry, icecast, "forgotten-listener", IcecastListenerServlet::forgottenListeners);
            callback(registry, icecast, "cut-duration", IcecastListenerServlet::cutDurations);
        }
    }

    private void report(MeterRegistry registry, ListenLogFilter filter, String outcome,
                        ToLongFunction<ListenLogFilter.BeaconMetrics> count) {
        bound.add(registry, FunctionCounter.builder("listenlog.beacon.reports", filter,
                        f -> count.applyAsLong(f.beaconMetrics()))
                .description("Player reports by outcome").baseUnit("reports").tags(tags).tag("outcome", outcome)
                .register(registry));
    }

    private void callback(MeterRegistry registry, IcecastListenerServlet icecast, String outcome,
                          ToLongFunction<IcecastListenerServlet> count) {
        bound.add(registry, FunctionCounter.builder("listenlog.icecast.callbacks", icecast, count::applyAsLong)
                .description("Icecast callbacks that could not be paired, or were cut").baseUnit("callbacks")
                .tags(tags).tag("outcome", outcome).register(registry));
    }

    /** Removes every meter this binder registered. */
    @Override
    public void close() {
        bound.close();
    }
}
