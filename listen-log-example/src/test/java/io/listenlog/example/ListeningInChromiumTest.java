package io.listenlog.example;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example in Debian's headless Chromium, with real audio from its own stream: a listener plays a station for
 * about six seconds, pauses and leaves; the stored listen lasts what the player played, within two seconds. A reload
 * that plays nothing adds no listen.
 */
class ListeningInChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void whatThePlayerPlayedIsWhatIsStored() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install the Debian package"
                + " chromium (.ci/run does) to run the example's browser test");
        ExampleApp.Config config = new ExampleApp.Config("127.0.0.1", 0, null, dir.resolve("example.db"), null);
        try (ExampleApp app = ExampleApp.start(config);
             Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                     .setHeadless(true).setArgs(List.of("--autoplay-policy=no-user-gesture-required")))) {
            String base = "http://127.0.0.1:" + app.port();
            Page page = browser.newPage();
            page.navigate(base + "/listen/1");
            page.evaluate("document.querySelector('audio').play()");
            page.waitForFunction("document.querySelector('audio').currentTime > 0");
            page.waitForTimeout(6_000);  // the listener listens for six seconds: the scenario, not a wait for work
            double played = ((Number) page.evaluate("() => { const a = document.querySelector('audio'); a.pause();"
                    + " return a.currentTime; }")).doubleValue();
            page.navigate(base + "/");  // leaving sends the last report
            assertThat(played).isBetween(4.0, 12.0);

            Page reload = browser.newPage();
            reload.navigate(base + "/listen/2");
            reload.navigate(base + "/");
            reload.close();
            page.close();

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                app.listenLogger().flush(Duration.ofSeconds(5));
                return app.listenLogger().metrics().progress().applied() > 0;
            });
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("example.db"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT source_id, duration_seconds FROM listen_event")) {
                assertThat(rs.next()).as("one listen").isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat((double) rs.getInt(2)).isCloseTo(played, org.assertj.core.data.Offset.offset(2.0));
                assertThat(rs.next()).as("the reload that played nothing").isFalse();
            }
        }
    }
}
