package io.listenlog.bench;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.classic.AsyncAppender;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import org.apache.logging.log4j.LogManager;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of {@code log()} on the request thread, against a store that does nothing, next to the asynchronous
 * loggers a Java developer would otherwise reach for: a Log4j2 async logger (LMAX Disruptor) and a Logback
 * {@code AsyncAppender} with {@code neverBlock}, each with an appender that does nothing. All three use a queue of
 * 16384 entries and drop when it is full.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
        "-Dlog4j2.configurationFile=log4j2-bench.xml",
        "-Dlog4j2.asyncLoggerRingBufferSize=16384",
        "-Dlog4j2.asyncQueueFullPolicy=Discard",
        "-Dlog4j2.discardThreshold=OFF",
        "-Dslf4j.internal.verbosity=WARN"})
public class HotPathBenchmark {
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0";
    private static final String REFERRER = "https://radio.example/stations?genre=jazz";

    @Param({"listen-log", "log4j2-async", "logback-async"})
    public String logger;

    /**
     * listen-log's queue. At the default a saturating producer fills it and most calls take the (cheaper) drop path;
     * {@code -p queueCapacity=8388608} with short iterations keeps every call on the accept path, since the queue is
     * drained between iterations.
     */
    @Param({"16384"})
    public int queueCapacity;

    private ListenLogger listenLogger;
    private org.apache.logging.log4j.Logger log4j;
    private LoggerContext logbackContext;
    private org.slf4j.Logger logback;

    @Setup(Level.Trial)
    public void start() {
        switch (logger) {
            case "listen-log" -> listenLogger = ListenLogger.builder()
                    .store(batch -> { })
                    .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                    .queueCapacity(queueCapacity)
                    .batchSize(Math.min(1024, queueCapacity))
                    .build();
            case "log4j2-async" -> log4j = LogManager.getLogger("bench");
            case "logback-async" -> {
                logbackContext = new LoggerContext();
                AppenderBase<ILoggingEvent> nothing = new AppenderBase<>() {
                    @Override
                    protected void append(ILoggingEvent event) {
                    }
                };
                nothing.setContext(logbackContext);
                nothing.start();
                AsyncAppender async = new AsyncAppender();
                async.setContext(logbackContext);
                async.setQueueSize(16_384);
                async.setDiscardingThreshold(0);
                async.setNeverBlock(true);
                async.addAppender(nothing);
                async.start();
                ch.qos.logback.classic.Logger root = logbackContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                root.detachAndStopAllAppenders();
                root.addAppender(async);
                logback = logbackContext.getLogger("bench");
            }
            default -> throw new IllegalArgumentException(logger);
        }
    }

    /** Drains listen-log's backlog between iterations, outside the measured time. */
    @TearDown(Level.Iteration)
    public void drain() {
        if (listenLogger != null && !listenLogger.flush(java.time.Duration.ofMinutes(2))) {
            throw new IllegalStateException("listen-log did not drain between iterations");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (listenLogger != null) {
            listenLogger.close();
            System.out.println("listen-log " + listenLogger.metrics());
        }
        if (logbackContext != null) {
            logbackContext.stop();
        }
        if (log4j != null) {
            LogManager.shutdown();
        }
    }

    /** Per thread: a request built once (as a filter would build one per call, the build is not what we measure). */
    @State(Scope.Thread)
    public static class Caller {
        final long sourceId = 1 + (Thread.currentThread().getId() % 7);
        final ListenRequest request = ListenRequest.of(sourceId, "203.0.113.9", USER_AGENT, REFERRER);
    }

    /**
     * What happened to the calls of the listen-log variant (taken in, or dropped because the queue was full), and the
     * bytes the calling thread allocated: {@code -prof gc} counts every thread, the writer's work included, so the
     * caller's own share is measured here. Bytes per call = callerBytes / (accepted + dropped).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Outcome {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        public long accepted;
        public long dropped;
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

    private boolean record(Caller caller, Outcome outcome) {
        switch (logger) {
            case "listen-log" -> {
                boolean accepted = listenLogger.log(caller.request);
                if (accepted) {
                    outcome.accepted++;
                } else {
                    outcome.dropped++;
                }
                return accepted;
            }
            case "log4j2-async" -> log4j.info("listen {} {} {}", caller.sourceId, USER_AGENT, REFERRER);
            default -> logback.info("listen {} {} {}", caller.sourceId, USER_AGENT, REFERRER);
        }
        return true;
    }

    @Benchmark
    @Threads(1)
    public boolean threads1(Caller caller, Outcome outcome) {
        return record(caller, outcome);
    }

    @Benchmark
    @Threads(2)
    public boolean threads2(Caller caller, Outcome outcome) {
        return record(caller, outcome);
    }

    @Benchmark
    @Threads(4)
    public boolean threads4(Caller caller, Outcome outcome) {
        return record(caller, outcome);
    }
}
