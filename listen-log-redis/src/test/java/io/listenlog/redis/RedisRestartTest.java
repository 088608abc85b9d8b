package io.listenlog.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis restarted while the logger publishes and a consumer reads: on a Redis server of its own (the machine's
 * {@code redis-server}, append-only file on), so that the shared one keeps serving the other suites.
 */
class RedisRestartTest {

    private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

    @TempDir
    Path dir;
    private int port;
    private Process server;
    private RedisTarget target;

    @BeforeEach
    void startOwnRedis() throws Exception {
        RedisTarget.requiredUrl();
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER), REDIS_SERVER + " is missing: install the Debian"
                + " package redis-server (.ci/run does) to run the Redis restart test");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startServer();
        target = new RedisTarget("redis://127.0.0.1:" + port);
    }

    private void startServer() throws IOException {
        server = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisClient probe = RedisClient.create("redis://127.0.0.1:" + port);
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (StatefulRedisConnection<String, String> c = probe.connect()) {
                    return "PONG".equals(c.sync().ping());
                }
            });
        } finally {
            probe.shutdown();
        }
    }

    private void stopServer() throws InterruptedException {
        server.destroy();  // SIGTERM: Redis flushes its append-only file and exits
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("redis-server stopped").isTrue();
    }

    @AfterEach
    void stopOwnRedis() throws Exception {
        if (target != null) {
            target.close();
        }
        if (server != null) {
            server.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRedisRestartDuringPublishingLosesNothingAndDuplicatesNothing() throws Exception {
        Set<UUID> ids = new HashSet<>();
        try (RedisStreamListenStore publisher = target.publisher().build();
             ListenStreamConsumer consumer = target.consumer(target.jdbcStore).build().start();
             ListenLogger logger = target.logger(publisher)) {
            logPlays(logger, ids);
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();

            stopServer();
            logPlays(logger, ids);  // queued while Redis is down: the logger retries them
            assertThat(logger.flush(Duration.ofMillis(300))).as("nothing can be published while Redis is down")
                    .isFalse();
            startServer();
            logPlays(logger, ids);
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();

            await().atMost(Duration.ofSeconds(60)).until(() -> target.storedCount() == 3_000
                    && consumer.metrics().pending() == 0);
            assertThat(consumer.metrics().lag()).as("everything delivered, after a restart too").isZero();
            ListenLogMetrics metrics = logger.metrics();
            assertThat(metrics.accepted()).isEqualTo(3_000);
            assertThat(metrics.written()).isEqualTo(3_000);
            assertThat(metrics.retries()).isPositive();
        }
        assertThat(target.storedIds()).isEqualTo(ids);
        assertThat(target.countedPlays()).isEqualTo(target.storedPlays());
    }

    @Test
    void aWebTierAndAConsumerStartWhileRedisIsDownAndCatchUpWhenItIsBack() throws Exception {
        stopServer();
        Set<UUID> ids = new HashSet<>();
        try (RedisStreamListenStore publisher = target.publisher().build();
             ListenStreamConsumer consumer = target.consumer(target.jdbcStore).build().start();
             ListenLogger logger = target.logger(publisher)) {
            assertThat(consumer.metrics().lag()).as("unknown while Redis is away").isEqualTo(-1);
            logPlays(logger, ids);
            assertThat(logger.flush(Duration.ofMillis(300))).as("nothing can be published while Redis is down")
                    .isFalse();

            startServer();
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> target.storedCount() == 1_000
                    && consumer.metrics().pending() == 0);
            assertThat(logger.metrics().written()).isEqualTo(1_000);
            assertThat(logger.metrics().retries()).isPositive();
            assertThat(consumer.isRunning()).isTrue();
            assertThat(consumer.metrics().failures()).as("its attempts to reach Redis").isPositive();
        }
        assertThat(target.storedIds()).isEqualTo(ids);
    }

    private static void logPlays(ListenLogger logger, Set<UUID> ids) {
        for (int i = 0; i < 1_000; i++) {
            ListenRequest request = ListenRequest.builder(1 + i % 3).clientIp("198.51.100.9").build();
            ids.add(request.listenId());
            assertThat(logger.log(request)).isTrue();
        }
    }
}
