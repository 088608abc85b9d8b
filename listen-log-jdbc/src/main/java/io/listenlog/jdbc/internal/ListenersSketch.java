package io.listenlog.jdbc.internal;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.jspecify.annotations.Nullable;

/**
 * The distinct listeners of a day (stored in {@code listen_audience.listeners_sketch}) or of a range (their merge),
 * as Apache DataSketches' HyperLogLog: {@code lgK} 12, 8-bit registers, serialized in its compact form (a few bytes
 * for a quiet day, 4,136 at most). A relative standard error of 1.3 % at one standard deviation where it estimates,
 * exact while a sketch still lists its values (a few hundred listeners). Sketches merge, so a listener of several days
 * counts once.
 *
 * <p>Days rolled up by earlier listen-log versions hold listen-log's own 4,096-byte format ({@link LegacyHyperLogLog}), which hashes
 * differently: those are read and merged apart, and a range that holds both kinds adds the two estimates (an upper
 * bound). A retention run rolls such a day up again while its raw events are kept.
 */
public final class ListenersSketch {
    private static final int LG_K = 12;

    private final Union union = new Union(LG_K);
    private @Nullable LegacyHyperLogLog legacy;

    public void add(String listener) {
        union.update(listener);
    }

    /** Merges a stored sketch of either format. */
    public void merge(byte[] stored) {
        if (LegacyHyperLogLog.isLegacy(stored)) {
            LegacyHyperLogLog old = LegacyHyperLogLog.fromBytes(stored);
            if (legacy == null) {
                legacy = old;
            } else {
                legacy.merge(old);
            }
        } else {
            union.update(HllSketch.heapify(stored));
        }
    }

    public long estimate() {
        return Math.round(union.getEstimate()) + (legacy == null ? 0 : legacy.estimate());
    }

    /** The compact DataSketches form of what was added and merged (legacy sketches excepted). */
    public byte[] toBytes() {
        return union.getResult(TgtHllType.HLL_8).toCompactByteArray();
    }
}
