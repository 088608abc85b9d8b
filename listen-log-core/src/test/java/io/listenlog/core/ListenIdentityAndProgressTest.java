package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Listen identity and listening time through the logger. */
class ListenIdentityAndProgressTest extends LoggerFixture {

    @Test
    void everyRequestHasATimeOrderedVersion7IdUnlessTheHostGivesOne() {
        long before = System.currentTimeMillis();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = ListenRequest.of(1, null, null, null).listenId();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        UUID id = ListenRequest.of(1, null, null, null).listenId();
        long millis = id.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(before, System.currentTimeMillis());

        UUID given = UUID.randomUUID();
        ListenRequest request = ListenRequest.builder(1).listenId(given).build();
        assertThat(request.listenId()).isEqualTo(given);
        assertThat(request.withOccurredAt(Instant.EPOCH).listenId()).as("kept by copies").isEqualTo(given);
        assertThatThrownBy(() -> ListenRequest.builder(1).listenId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theStoreGetsTheRequestsListenId() {
        logger = builder().build();
        ListenRequest request = ListenRequest.of(1, null, null, null);
        logger.log(request);
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).extracting(ListenEvent::listenId).containsExactly(request.listenId());
    }

    @Test
    void progressFollowsItsListenEvenInTheSameBatchAndKeepsTheLargestValue() {
        logger = builder().batchSize(100).maxBatchDelay(Duration.ofMinutes(1)).build();
        ListenRequest request = ListenRequest.of(1, null, null, null);
        logger.log(request);
        logger.progress(request.listenId(), Duration.ofSeconds(30));
        logger.progress(request.listenId(), Duration.ofSeconds(90));
        logger.progress(request.listenId(), Duration.ofSeconds(60));
        assertThat(logger.flush(WAIT)).isTrue();
        logger.progress(request.listenId(), Duration.ofSeconds(45));
        assertThat(logger.flush(WAIT)).isTrue();

        assertThat(store.events()).extracting(ListenEvent::durationSeconds).containsExactly(90);
        ListenLogMetrics m = logger.metrics();
        assertThat(m.accepted()).as("plays are not inflated by updates").isEqualTo(1);
        assertThat(m.written()).isEqualTo(1);
        assertThat(m.progress()).isEqualTo(new ListenLogMetrics.Progress(4, 4, 0, 0, 0, 0, 0));
    }

    @Test
    void progressOfAListenNeverStoredIsCountedNotAnError() {
        logger = builder().build();
        assertThat(logger.progress(UUID.randomUUID(), Duration.ofSeconds(10))).isTrue();
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.metrics().progress().unknown()).isEqualTo(1);
        assertThat(logger.metrics().progress().applied()).isZero();
    }

    @Test
    void listeningTimeIsCappedAndNeverNegative() {
        logger = builder().maxListenDuration(Duration.ofHours(1)).build();
        ListenRequest request = ListenRequest.of(1, null, null, null);
        logger.log(request);
        logger.progress(request.listenId(), Duration.ofDays(3));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(store.events()).extracting(ListenEvent::durationSeconds).containsExactly(3600);
        assertThatThrownBy(() -> logger.progress(request.listenId(), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> builder().maxListenDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxListenDuration");
    }

    @Test
    void underDropAFullQueueDropsProgressWithoutWaitingAndCountsItApart() throws Exception {
        store.close();
        logger = builder().queueCapacity(1).batchSize(1).build();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(store.awaitFirstWrite()).isTrue();
        logger.log(ListenRequest.of(1, null, null, null));
        assertThat(logger.progress(UUID.randomUUID(), Duration.ofSeconds(5))).isFalse();
        ListenLogMetrics m = logger.metrics();
        assertThat(m.progress().dropped()).isEqualTo(1);
        assertThat(m.dropped()).as("plays").isZero();
    }

    @Test
    void aStoreWithoutListeningTimeRejectsTheUpdatesAndKeepsWriting() {
        ListenStore playsOnly = store::write;
        logger = ListenLogger.builder().store(playsOnly).anonymizer(ANONYMIZER).build();
        ListenRequest request = ListenRequest.of(1, null, null, null);
        logger.log(request);
        logger.progress(request.listenId(), Duration.ofSeconds(5));
        logger.log(ListenRequest.of(2, null, null, null));
        assertThat(logger.flush(WAIT)).isTrue();
        assertThat(logger.metrics().progress().rejected()).isEqualTo(1);
        assertThat(store.events()).hasSize(2);
        assertThat(logger.metrics().written()).isEqualTo(2);
    }
}
