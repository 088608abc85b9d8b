package io.listenlog.bench;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.ClientInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The writer thread's cost of classifying one user agent with the shipped OPAWG lists, before the logger's cache:
 * a bot matched early, a player matched in the apps list, a browser matched last, and one that matches nothing (every
 * pattern tried). The logger caches results per user agent, so this is paid once per distinct user agent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifierBenchmark {
    private static final ClientClassifier OPAWG = ClientClassifier.opawg();

    @Param({"googlebot", "vlc", "chrome", "unknown"})
    public String userAgent;

    private String text;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        text = switch (userAgent) {
            case "googlebot" -> "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
            case "vlc" -> "VLC/3.0.20 LibVLC/3.0.20";
            case "chrome" -> "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/131.0.0.0 Safari/537.36";
            case "unknown" -> "SomeRadioBox/4.2 (embedded; rev 17)";
            default -> throw new IllegalArgumentException(userAgent);
        };
    }

    @Benchmark
    public ClientInfo classify() {
        return OPAWG.classify(text);
    }
}
