package io.listenlog.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints every skipped or aborted test or suite with its reason (for example "LISTENLOG_TEST_POSTGRES_URL is not set") on the
 * console. Registered as a JUnit Platform listener by this jar, so a test class path that holds it needs nothing
 * else. It writes to the process's own standard error, which Maven Surefire shows even where it sends the tests'
 * output to report files.
 */
public final class SkippedTestsReporter implements TestExecutionListener {
    private static final PrintStream CONSOLE = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);

    /** Made by the JUnit Platform's service loader. */
    public SkippedTestsReporter() {
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        CONSOLE.println("[SKIPPED] " + test.getDisplayName() + ": " + reason);
    }

    /** A test that aborted on an assumption is skipped too; its reason is the assumption's message. */
    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
            CONSOLE.println("[SKIPPED] " + test.getDisplayName() + ": " + reason);
        }
    }
}
