package io.listenlog.servlet;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, headless, driven by Playwright (which never downloads a browser), allowed to play audio
 * without a user's gesture. Tests that need it are skipped, saying why, where the package is missing.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--autoplay-policy=no-user-gesture-required")));
    }

    /** @param forWhat the test that needs it, for the reason it is skipped */
    static HeadlessChromium launch(String forWhat) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install the Debian package"
                + " chromium (.ci/run does) to run " + forWhat);
        return new HeadlessChromium();
    }

    Page newPage() {
        return browser.newPage();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
