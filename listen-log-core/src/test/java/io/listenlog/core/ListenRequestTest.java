package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenRequestTest {

    @Test
    void sourceIdMustBePositive() {
        assertThatThrownBy(() -> ListenRequest.builder(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sourceId").hasMessageContaining("0");
        assertThatThrownBy(() -> ListenRequest.of(-5, null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
    }

    @Test
    void durationMustNotBeNegative() {
        assertThatThrownBy(() -> ListenRequest.builder(1).durationSeconds(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durationSeconds");
        assertThat(ListenRequest.builder(1).durationSeconds(0).build().durationSeconds()).isZero();
        assertThat(ListenRequest.builder(1).durationSeconds(null).build().durationSeconds()).isNull();
    }

    @Test
    void hugeHeadersAreCutWhenCapturedSoAQueuedRequestCannotPinThem() {
        String huge = "x".repeat(10_000_000);
        ListenRequest r = ListenRequest.of(1, huge, huge, huge);
        assertThat(r.userAgent()).hasSize(ListenRequest.MAX_USER_AGENT_LENGTH);
        assertThat(r.referrer()).hasSize(ListenRequest.MAX_REFERRER_LENGTH);
        assertThat(r.clientIp()).as("no address is that long").isNull();
        String pairAtTheCut = "a".repeat(ListenRequest.MAX_USER_AGENT_LENGTH - 1) + "\uD83C\uDFB5";
        assertThat(ListenRequest.builder(1).userAgent(pairAtTheCut).build().userAgent())
                .hasSize(ListenRequest.MAX_USER_AGENT_LENGTH - 1).doesNotContain("\uD83C");
    }

    @Test
    void occurredAtMustBeATimeADatabaseCanStore() {
        assertThatThrownBy(() -> ListenRequest.builder(1).occurredAt(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("occurredAt")
                .hasMessageContaining("9999");
        assertThatThrownBy(() -> ListenRequest.builder(1).occurredAt(Instant.parse("0000-12-31T23:59:59Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListenRequest.builder(1).occurredAt(Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ListenRequest.builder(1).occurredAt(ListenRequest.MIN_OCCURRED_AT).build().occurredAt())
                .isEqualTo(ListenRequest.MIN_OCCURRED_AT);
        assertThat(ListenRequest.builder(1).occurredAt(ListenRequest.MAX_OCCURRED_AT).build().occurredAt())
                .isEqualTo(ListenRequest.MAX_OCCURRED_AT);
    }

    @Test
    void ofCarriesTheWebFacts() {
        ListenRequest r = ListenRequest.of(7, "198.51.100.4", "UA", "https://example.org/");
        assertThat(r.sourceId()).isEqualTo(7);
        assertThat(r.clientIp()).isEqualTo("198.51.100.4");
        assertThat(r.userAgent()).isEqualTo("UA");
        assertThat(r.referrer()).isEqualTo("https://example.org/");
        assertThat(r.occurredAt()).isNull();
        assertThat(r.extra()).isNull();
    }

    @Test
    void toStringNeverShowsTheAddress() {
        ListenRequest r = ListenRequest.of(7, "198.51.100.4", "UA", null);
        assertThat(r.toString()).doesNotContain("198.51.100.4").contains("<redacted>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void extraIsCopiedDeeplyAndImmutably() {
        List<Object> tags = new ArrayList<>(List.of("jazz", 1));
        Map<String, Object> nested = new HashMap<>(Map.of("k", "v"));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("tags", tags);
        extra.put("nested", nested);
        extra.put("none", null);
        extra.put("ok", true);
        extra.put("n", 1.5);
        ListenRequest r = ListenRequest.builder(1).extra(extra).build();

        tags.add("changed");
        nested.put("k", "changed");
        extra.put("later", 1);

        assertThat(r.extra()).containsOnlyKeys("tags", "nested", "none", "ok", "n");
        assertThat((List<Object>) r.extra().get("tags")).containsExactly("jazz", 1);
        assertThat((Map<String, Object>) r.extra().get("nested")).containsEntry("k", "v");
        assertThatThrownBy(() -> r.extra().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<Object>) r.extra().get("tags")).add(2))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void extraMustBeJsonShaped() {
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(Map.of("when", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant")
                .hasMessageContaining("extra.when");
        Map<Object, Object> intKeys = new HashMap<>();
        intKeys.put(1, "x");
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(Map.of("m", intKeys)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(Map.of("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(Map.of("x", new int[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mutableNumbersAreFrozen() {
        AtomicLong counter = new AtomicLong(5);
        ListenRequest r = ListenRequest.builder(1).extra(Map.of("count", counter)).build();
        counter.set(6);
        assertThat(r.extra().get("count")).isEqualTo(new BigDecimal("5"));
    }

    @Test
    void extraHasADocumentedSizeBound() {
        String justFits = "x".repeat(ListenRequest.MAX_EXTRA_JSON_LENGTH - "{\"k\":\"\"}".length());
        assertThat(ListenRequest.builder(1).extra(Map.of("k", justFits)).build().extra()).containsKey("k");
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(Map.of("k", justFits + "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large")
                .hasMessageContaining(String.valueOf(ListenRequest.MAX_EXTRA_JSON_LENGTH));
    }

    @Test
    void cyclicExtraIsRefusedNotAStackOverflow() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(cyclic))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
        List<Object> list = new ArrayList<>();
        list.add(list);
        assertThatThrownBy(() -> ListenRequest.builder(1).extra(Map.of("l", list)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void eventCopiesAForeignExtraToo() {
        Map<String, Object> extra = new HashMap<>(Map.of("a", new ArrayList<>(Arrays.asList(1, 2))));
        ListenEvent event = new ListenEvent(UUID.randomUUID(), 1, Instant.EPOCH, null, null, null, null, extra);
        extra.put("b", 2);
        assertThat(event.extra()).containsOnlyKeys("a");
        assertThatThrownBy(() -> event.extra().put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ListenEvent(UUID.randomUUID(), 1, null, null, null, null, null, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ListenEvent(UUID.randomUUID(), 0, Instant.EPOCH, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
