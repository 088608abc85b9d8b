package io.listenlog.micrometer.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The meters a binder registered, and what else it must undo, so that closing it leaves nothing behind. */
public final class BoundMeters implements AutoCloseable {
    private record Bound(MeterRegistry registry, Meter meter) {
    }

    /** A set: a meter looked up again (a failure counter, per failure) is kept once. */
    private final Set<Bound> meters = new LinkedHashSet<>();
    private final List<Runnable> undo = new ArrayList<>();

    /** {@code meter}, registered in {@code registry}: removed from it on {@link #close()}. */
    public synchronized <M extends Meter> M add(MeterRegistry registry, M meter) {
        meters.add(new Bound(registry, meter));
        return meter;
    }

    /** Something to undo on {@link #close()}, such as a listener added to the measured object. */
    public synchronized void onClose(Runnable action) {
        undo.add(action);
    }

    @Override
    public synchronized void close() {
        undo.forEach(Runnable::run);
        undo.clear();
        for (Bound bound : meters) {
            bound.registry().remove(bound.meter());
        }
        meters.clear();
    }
}
