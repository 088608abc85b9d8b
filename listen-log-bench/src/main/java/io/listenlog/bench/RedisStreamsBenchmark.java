package io.listenlog.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.redis.ListenStreamConsumer;
import io.listenlog.redis.RedisStreamListenStore;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays per second from the first {@code log()} until they are committed in PostgreSQL, through Redis Streams or
 * directly. The "plays" counter is the figure to read.
 *
 * <ul>
 *   <li>{@code direct}: a {@link ListenLogger} with the JDBC store; a round ends when {@code flush} returns.</li>
 *   <li>{@code redis-1}, {@code redis-2}: the logger publishes to a Redis stream ({@link RedisStreamListenStore}) and
 *   one or two {@link ListenStreamConsumer}s write to PostgreSQL; a round ends when the consumers have committed
 *   every play of it.</li>
 *   <li>{@code publish-only}: the logger publishes to Redis and nothing consumes (the stream is trimmed between
 *   rounds): the web tier's side alone.</li>
 * </ul>
 *
 * Needs {@code LISTENLOG_TEST_POSTGRES_URL} and {@code LISTENLOG_TEST_REDIS_URL}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class RedisStreamsBenchmark {
    private static final int ROUND = 10_000;
    private static final String REDIS_URL_VARIABLE = "LISTENLOG_TEST_REDIS_URL";

    @Param({"direct", "redis-1", "redis-2", "publish-only"})
    public String design;

    private BenchDatabase db;
    private ListenLogger logger;
    private RedisStreamListenStore publisher;
    private final List<ListenStreamConsumer> consumers = new ArrayList<>();
    private RedisClient admin;
    private StatefulRedisConnection<String, String> adminConnection;
    private String stream;
    private ListenRequest[] requests;
    private long played;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Plays {
        public long plays;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        db = BenchDatabase.postgres(10);
        ListenStore jdbc = JdbcListenStore.create(db.dataSource());
        ListenStore store = jdbc;
        if (!design.equals("direct")) {
            String redisUrl = System.getenv(REDIS_URL_VARIABLE);
            if (redisUrl == null || redisUrl.isBlank()) {
                throw new IllegalStateException(REDIS_URL_VARIABLE + " is not set; e.g. redis://127.0.0.1:6379");
            }
            stream = "listen-log-bench:" + UUID.randomUUID();
            admin = RedisClient.create(redisUrl);
            adminConnection = admin.connect();
            publisher = RedisStreamListenStore.builder(redisUrl).stream(stream).build();
            store = publisher;
            int consumerCount = switch (design) {
                case "redis-1" -> 1;
                case "redis-2" -> 2;
                case "publish-only" -> 0;
                default -> throw new IllegalArgumentException("design must be direct, redis-1, redis-2 or publish-only,"
                        + " not " + design);
            };
            for (int i = 0; i < consumerCount; i++) {
                consumers.add(ListenStreamConsumer.builder(redisUrl, jdbc).stream(stream).build().start());
            }
        }
        logger = ListenLogger.builder()
                .store(store)
                .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                .build();
        requests = new ListenRequest[ROUND];
    }

    @Setup(Level.Invocation)
    public void newListens() {
        for (int i = 0; i < ROUND; i++) {
            requests[i] = ListenRequest.of(1 + i % BenchDatabase.SOURCES, "10.0." + (i / 250) + "." + (i % 250),
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0",
                    "https://radio.example/stations?genre=jazz");
        }
        if (design.equals("publish-only")) {
            adminConnection.sync().del(stream);
        }
    }

    @Benchmark
    public void round(Plays plays) {
        for (ListenRequest request : requests) {
            if (!logger.log(request)) {
                throw new IllegalStateException("a play was dropped; the figures would not be end to end");
            }
        }
        if (!logger.flush(Duration.ofMinutes(5))) {
            throw new IllegalStateException("flush timed out");
        }
        played += ROUND;
        if (!consumers.isEmpty()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (consumed() < played) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the consumers did not catch up within 5 minutes");
                }
                LockSupport.parkNanos(100_000);
            }
        }
        plays.plays += ROUND;
    }

    private long consumed() {
        long sum = 0;
        for (ListenStreamConsumer consumer : consumers) {
            sum += consumer.metrics().playsWritten();
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            logger.close();
            for (ListenStreamConsumer consumer : consumers) {
                System.out.println(consumer + " " + consumer.metrics());
                consumer.close();
            }
            if (!design.equals("publish-only")) {
                long events = db.countEvents();
                long counted = db.sumCounters();
                System.out.printf("%s: %d plays, %d rows, listen_count sum %d%n", design, played, events, counted);
                if (events != played || counted != played) {
                    throw new IllegalStateException("rows " + events + " or counters " + counted
                            + " do not match the " + played + " plays");
                }
            }
        } finally {
            if (publisher != null) {
                publisher.close();
                adminConnection.sync().del(stream, stream + ":dead");
                adminConnection.close();
                admin.shutdown();
            }
            db.close();
        }
    }
}
