package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives every warning and error path with recognizable addresses and checks none reaches the log output. */
class NoRawIpInLogsTest {
    private static final String[] ADDRESSES = {"203.0.113.77", "2001:db8::77", "::ffff:198.51.100.77"};

    @Test
    void noLogLineAtAnyLevelContainsAClientAddress() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exerciseFailurePaths();
        } finally {
            System.setErr(originalErr);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).as("the failure paths did log something").contains("rejected", "retrying", "abandoned",
                "dropped", "could not locate");
        for (String address : ADDRESSES) {
            assertThat(output).doesNotContain(address);
        }
        assertThat(output).doesNotContain("198.51.100.77").doesNotContain("2001:db8");
    }

    private static void exerciseFailurePaths() {
        InMemoryStore store = new InMemoryStore();
        store.markUnknown(99);
        store.transientFailuresLeft.set(2);
        IpAnonymizer failing = ip -> {
            throw new IllegalArgumentException("cannot anonymize " + ip);
        };
        ListenLogger rejecting = ListenLogger.builder().store(store).anonymizer(failing).build();
        rejecting.log(ListenRequest.of(1, ADDRESSES[0], "UA", null));
        rejecting.flush(LoggerFixture.WAIT);
        rejecting.close();

        ListenLogger logger = ListenLogger.builder().store(store).anonymizer(LoggerFixture.ANONYMIZER)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).queueCapacity(2).batchSize(1)
                .shutdownTimeout(Duration.ofMillis(100)).build();
        for (String address : ADDRESSES) {
            logger.log(ListenRequest.of(99, address, "UA " + address, "https://ref.example/?ip=" + address));
            logger.log(ListenRequest.of(1, address, null, null));
        }
        logger.flush(LoggerFixture.WAIT);
        store.failForever = true;
        for (String address : ADDRESSES) {
            logger.log(ListenRequest.of(1, address, null, null));
        }
        logger.close();
        logger.log(ListenRequest.of(1, ADDRESSES[0], null, null));

        GeoLookup quoting = new GeoLookup() {
            @Override
            public Location locate(java.net.InetAddress address) {
                throw new IllegalStateException("the address " + address.getHostAddress() + " is not in the database");
            }

            @Override
            public String database() {
                return "a failing test database";
            }
        };
        ListenLogger locating = ListenLogger.builder().store(new InMemoryStore()).anonymizer(LoggerFixture.ANONYMIZER)
                .geoLookup(quoting).build();
        for (String address : ADDRESSES) {
            locating.log(ListenRequest.of(1, address, "UA", null));
        }
        locating.flush(LoggerFixture.WAIT);
        locating.close();
    }
}
