package io.listenlog.core.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogBatchSizeTest {

    @Test
    void aBacklogTakesEightBatchesAtMostTheQueueAndTheBindParameterLimitNeverLessThanOneBatch() {
        assertThat(ListenPipeline.backlogBatchSize(1_000, 16_384)).isEqualTo(8_000);
        assertThat(ListenPipeline.backlogBatchSize(10, 50)).isEqualTo(50);
        assertThat(ListenPipeline.backlogBatchSize(5_000, 1_000_000)).isEqualTo(ListenPipeline.MAX_GROWN_BATCH);
        assertThat(ListenPipeline.backlogBatchSize(20_000, 40_000)).as("a host's larger batch is kept").isEqualTo(20_000);
        assertThat(ListenPipeline.backlogBatchSize(Integer.MAX_VALUE / 2, Integer.MAX_VALUE))
                .isEqualTo(Integer.MAX_VALUE / 2);
    }
}
