package io.listenlog.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM shutdown hook, in a real child JVM that exits without closing its logger. */
class CloseOnShutdownTest {

    @TempDir
    Path dir;

    private Path runChild(boolean closeOnShutdown, int listens) throws Exception {
        Path out = dir.resolve("written-" + closeOnShutdown + ".txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", childClassPath(), ShutdownHookMain.class.getName(),
                out.toString(), Boolean.toString(closeOnShutdown), Integer.toString(listens))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + closeOnShutdown + ".log").toFile())
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
        assertThat(child.exitValue()).isZero();
        return out;
    }

    /** Surefire puts this module on the module path; the child runs everything from the class path. */
    private static String childClassPath() {
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        return modulePath.isEmpty() ? classPath : modulePath + File.pathSeparator + classPath;
    }

    @Test
    void queuedListensAreWrittenWhenTheProcessEnds() throws Exception {
        Path out = runChild(true, 50);
        assertThat(Files.readAllLines(out)).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void withoutTheHookTheyAreLostWhichIsWhyItIsOnByDefault() throws Exception {
        Path out = runChild(false, 50);
        assertThat(Files.exists(out) ? Files.readAllLines(out) : java.util.List.of()).isEmpty();
    }
}
