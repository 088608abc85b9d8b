package io.listenlog.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

/** A test on a fresh stream of the test Redis, closing what it made in reverse order, then the target. */
abstract class RedisTestBase {
    RedisTarget target;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        target = new RedisTarget();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                toClose.get(i).close();
            }
        } finally {
            if (target != null) {
                target.close();
            }
        }
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
