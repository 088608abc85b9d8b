package io.listenlog.micrometer;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import io.listenlog.core.ListenStoreException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ListenLogMetricsBinderTest {

    /** Fails its first write transiently and rejects the plays of source 99, as a database would. */
    private static final class FlakyStore implements ListenStore {
        final AtomicInteger failuresLeft = new AtomicInteger(1);

        @Override
        public void write(List<ListenEvent> batch) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw ListenStoreException.transientFailure("connection reset (test)", null);
            }
            int[] unknown = IntStream.range(0, batch.size()).filter(i -> batch.get(i).sourceId() == 99).toArray();
            if (unknown.length > 0) {
                throw ListenStoreException.rejected("unknown source (test)", null, unknown);
            }
        }
    }

    @Test
    void outcomesQueueWritesAndBatchSizesAreMetersWithMicrometersNames() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ListenLogger logger = ListenLogger.builder().store(new FlakyStore())
                .anonymizer(IpAnonymizer.hmacSha256("binder-test-secret-0123456789abcdef"))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).batchSize(8)
                .maxBatchDelay(Duration.ofMinutes(1)).build()) {
            new ListenLogMetricsBinder(logger, Tags.of("logger", "radio")).bindTo(registry);
            List<ListenRequest> plays = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                plays.add(ListenRequest.of(1, "192.0.2.1", "ua", null));
            }
            plays.add(ListenRequest.of(99, null, null, null));
            plays.forEach(logger::log);
            logger.progress(UUID.randomUUID(), Duration.ofSeconds(10));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(count(registry, "listenlog.listens", "written")).isEqualTo(7);
            assertThat(count(registry, "listenlog.listens", "rejected")).isEqualTo(1);
            assertThat(count(registry, "listenlog.listens", "dropped")).isZero();
            assertThat(count(registry, "listenlog.listens", "abandoned")).isZero();
            assertThat(count(registry, "listenlog.progress.updates", "rejected"))
                    .as("this store records no listening time").isEqualTo(1);
            assertThat(registry.get("listenlog.store.retries").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("listenlog.queue.depth").gauge().value()).isZero();
            assertThat(registry.get("listenlog.listens.pending").gauge().value()).isZero();
            assertThat(registry.get("listenlog.store.writes").tag("outcome", "success").timer().count())
                    .isPositive();
            assertThat(registry.get("listenlog.store.batch.size").summary().totalAmount()).isEqualTo(7);
            assertThat(registry.get("listenlog.store.write.failures").tag("exception", "ListenStoreException")
                    .tag("retried", "true").counter().count()).isEqualTo(1);
            assertThat(registry.getMeters()).allSatisfy(meter -> {
                assertThat(meter.getId().getName()).startsWith("listenlog.").matches("[a-z.]+");
                assertThat(meter.getId().getTag("logger")).isEqualTo("radio");
            });
        }
    }

    @Test
    void closingTheBinderRemovesItsMetersAndItsListener() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ListenLogger logger = ListenLogger.builder().store(new FlakyStore())
                .anonymizer(IpAnonymizer.hmacSha256("binder-test-secret-0123456789abcdef"))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).maxBatchDelay(Duration.ofMillis(5))
                .build()) {
            ListenLogMetricsBinder binder = new ListenLogMetricsBinder(logger);
            binder.bindTo(registry);
            logger.log(ListenRequest.of(1, "192.0.2.1", "ua", null));
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(registry.getMeters()).isNotEmpty();

            binder.close();
            assertThat(registry.getMeters()).isEmpty();
            logger.log(ListenRequest.of(99, "192.0.2.1", "ua", null));  // a rejection, which the listener would count
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(registry.getMeters()).as("the listener is gone: no failure counter comes back").isEmpty();
        }
    }

    private static double count(SimpleMeterRegistry registry, String name, String outcome) {
        return registry.get(name).tag("outcome", outcome).functionCounter().count();
    }
}
