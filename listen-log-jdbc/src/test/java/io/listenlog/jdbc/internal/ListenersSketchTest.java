package io.listenlog.jdbc.internal;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ListenersSketchTest {

    private static ListenersSketch of(int from, int to) {
        ListenersSketch sketch = new ListenersSketch();
        for (int i = from; i < to; i++) {
            sketch.add("listener-" + i);
        }
        return sketch;
    }

    @Test
    void aFewHundredListenersAreCountedExactly() {
        assertThat(new ListenersSketch().estimate()).isZero();
        assertThat(of(0, 1).estimate()).isEqualTo(1);
        assertThat(of(0, 300).estimate()).isEqualTo(300);
    }

    @Test
    void storedSketchesMergeSoThatAListenerOfSeveralDaysCountsOnce() {
        ListenersSketch range = new ListenersSketch();
        range.merge(of(0, 200).toBytes());
        range.merge(of(100, 300).toBytes());
        assertThat(range.estimate()).isEqualTo(300);
    }

    @Test
    void manyListenersAreEstimatedWithinFourStandardErrors() {
        Random random = new Random(7);
        ListenersSketch sketch = new ListenersSketch();
        for (int i = 0; i < 200_000; i++) {
            sketch.add(Long.toHexString(random.nextLong()));
        }
        assertThat((double) sketch.estimate()).isCloseTo(200_000, within(200_000 * 4 * 0.013));
    }

    @Test
    void noStoredSketchHasTheFormerFormatsLength() {
        for (int n : new int[] {0, 1, 8, 100, 1_000, 10_000, 100_000}) {
            assertThat(LegacyHyperLogLog.isLegacy(of(0, n).toBytes())).as("%d listeners", n).isFalse();
        }
    }
}
