package io.listenlog.core;

import org.junit.jupiter.api.AfterEach;

/** A logger test's in-memory store and the logger it builds, closed after each test. */
abstract class LoggerFixture {
    static final IpAnonymizer ANONYMIZER = IpAnonymizer.hmacSha256("listen-log-test-secret-123456");
    static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    final InMemoryStore store = new InMemoryStore();
    ListenLogger logger;

    @AfterEach
    void closeLogger() {
        store.open();
        if (logger != null) {
            logger.close();
        }
    }

    ListenLogger.Builder builder() {
        return ListenLogger.builder().store(store).anonymizer(ANONYMIZER);
    }
}
