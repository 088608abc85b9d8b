package io.listenlog.bench;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStore;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The request thread's cost of listen identity and listening time, on the accept path (a queue large enough for an
 * iteration, drained between iterations, and a store that does nothing):
 * <ul>
 *   <li>{@code capture}: {@code log(ListenRequest.of(...))}, the request built in the call, so its version-7 listen id
 *   is generated in the measured time;</li>
 *   <li>{@code progress}: {@code progress(listenId, listened)}.</li>
 * </ul>
 * {@code callerBytes / calls} is what the calling thread allocates per call ({@code -prof gc} counts every thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class IdentityBenchmark {
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0";
    private static final String REFERRER = "https://radio.example/stations?genre=jazz";
    private static final Duration LISTENED = Duration.ofSeconds(95);

    private ListenLogger listenLogger;

    /** Stores nothing, and holds every listen, so progress updates count as applied. */
    private static final class NoStore implements ListenStore {
        @Override
        public void write(List<ListenEvent> batch) {
        }

        @Override
        public Set<UUID> updateDurations(List<ListenProgress> updates) {
            return Set.of();
        }
    }

    @Setup(Level.Trial)
    public void start() {
        listenLogger = ListenLogger.builder()
                .store(new NoStore())
                .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                .queueCapacity(8_388_608)
                .batchSize(1024)
                .build();
    }

    @TearDown(Level.Iteration)
    public void drain() {
        if (!listenLogger.flush(Duration.ofMinutes(2))) {
            throw new IllegalStateException("listen-log did not drain between iterations");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        listenLogger.close();
        System.out.println("listen-log " + listenLogger.metrics());
    }

    /** Calls and the bytes the calling thread allocated in them. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Caller {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final UUID listenId = ListenRequest.of(1, null, null, null).listenId();
        public long calls;
        public long callerBytes;
        private long bytesAtStart;

        @Setup(Level.Iteration)
        public void startCounting() {
            bytesAtStart = THREADS.getCurrentThreadAllocatedBytes();
        }

        @TearDown(Level.Iteration)
        public void stopCounting() {
            callerBytes += THREADS.getCurrentThreadAllocatedBytes() - bytesAtStart;
        }
    }

    @Benchmark
    @Threads(1)
    public boolean capture(Caller caller) {
        caller.calls++;
        return listenLogger.log(ListenRequest.of(3, "203.0.113.9", USER_AGENT, REFERRER));
    }

    @Benchmark
    @Threads(1)
    public boolean progress(Caller caller) {
        caller.calls++;
        return listenLogger.progress(caller.listenId, LISTENED);
    }
}
