/** The ListenStore contract every store runs, and a reporter of skipped suites. */
module io.listenlog.testsupport {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.platform.launcher;
    requires org.assertj.core;

    exports io.listenlog.testsupport;

    provides org.junit.platform.launcher.TestExecutionListener with io.listenlog.testsupport.SkippedTestsReporter;
}
