package io.listenlog.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.zaxxer.hikari.HikariDataSource;
import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.jdbc.ListenLogMigrations;
import io.listenlog.jdbc.ListenStats;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard in Debian's headless Chromium, over a generated month in SQLite: no console error, no request
 * outside the servlet, readable at 1280 and 390 pixels (screenshots in target/), and the numbers shown equal its JSON
 * and an independent SQL count.
 */
class DashboardInChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Instant NOW = Instant.parse("2026-03-31T15:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 31);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static HikariDataSource pool;
    private static Server server;
    private static String base;
    private static final List<String> hashes = new ArrayList<>();
    private static long listeningNow;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("listenlog-dashboard");
        pool = ListenLogDataSources.sqlite(dir.resolve("listens.db"));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE radio_source (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
            s.execute("INSERT INTO radio_source VALUES (1, 'Radio One'), (2, 'Jazz FM'), (3, 'Talk 24')");
        }
        ListenLogMigrations.migrate(pool);
        generate(JdbcListenStore.create(pool));

        ListenStats stats = ListenStats.create(pool);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(ListenDashboardServlet.builder(stats).publicAccess().clock(clock)
                .title("Radio Example: listening").countriesCredit("IP Geolocation by DB-IP (https://db-ip.com)")
                .sourceNames(() -> Map.of(1L, "Radio One", 2L, "Jazz FM", 3L, "Talk 24")).build()), "/stats/*");
        context.addServlet(new ServletHolder(ListenDashboardServlet.builder(stats).clock(clock)
                .access(request -> request.isUserInRole("station-manager")).build()), "/private/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    private static void generate(JdbcListenStore store) {
        Random random = new Random(11);
        List<ListenEvent> events = new ArrayList<>();
        Instant first = TODAY.minusDays(34).atStartOfDay(ZoneOffset.UTC).toInstant();
        String[] apps = {"Chrome", "Safari", "VLC media player", "Winamp", "Apple Podcasts"};
        String[] platforms = {"Android Phone", "Apple iPhone", "Windows Computer", "Other Computer"};
        String[] countries = {"FR", "FR", "FR", "DE", "DE", "JP", "CI", null};
        String[] referrers = {"https://radio.example/player", "https://www.google.com/", "https://news.example.org/a",
                null};
        for (int i = 0; i < 4_000; i++) {
            Instant start = first.plusSeconds(random.nextInt((int) Duration.between(first, NOW).getSeconds()));
            String hash = "%064x".formatted(random.nextInt(700));
            hashes.add(hash);
            boolean bot = random.nextInt(10) == 0;
            String country = countries[random.nextInt(countries.length)];
            events.add(new ListenEvent(UUID.randomUUID(), 1 + random.nextInt(3), start, hash, null,
                    referrers[random.nextInt(referrers.length)], random.nextInt(8) == 0 ? null : random.nextInt(5_400),
                    null, bot ? new ClientInfo(true, "Googlebot", null)
                            : new ClientInfo(false, apps[random.nextInt(apps.length)],
                                    platforms[random.nextInt(platforms.length)]), null,
                    country == null ? null : io.listenlog.core.Location.of(country)));
        }
        String[][] downloads = {{"1", "shows/monday.mp3", "person"}, {"1", "shows/monday.mp3", "person"},
                {"1", "shows/monday.mp3", "bot"}, {"2", "=HYPERLINK(1).mp3", "person"}, {"1", "ep, \"2\".mp3", "bot"}};
        for (int i = 0; i < downloads.length; i++) {  // files fetched in the last week
            String[] d = downloads[i];
            events.add(new ListenEvent(UUID.randomUUID(), Long.parseLong(d[0]), NOW.minus(Duration.ofHours(3 + i)),
                    "%064x".formatted(950 + i), null, null, null, Map.of("download", d[1]),
                    d[2].equals("bot") ? new ClientInfo(true, "curl", null)
                            : new ClientInfo(false, "Apple Podcasts", "Apple iPhone")));
        }
        for (int i = 0; i < 7; i++) {  // listening right now
            events.add(new ListenEvent(UUID.randomUUID(), 1, NOW.minusSeconds(600), "%064x".formatted(900 + i), null,
                    null, 590, null, new ClientInfo(false, "Chrome", "Android Phone")));
        }
        store.write(events);
        listeningNow = events.stream().filter(e -> !e.client().bot() && !e.occurredAt().isAfter(NOW)
                && !e.occurredAt().plusSeconds(e.durationSeconds() == null ? 0 : e.durationSeconds())
                .isBefore(NOW.minusSeconds(60))).count();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        pool.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long sqlCount(String where) throws Exception {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM listen_event WHERE occurred_at >= ?"
                     + " AND occurred_at < ?" + where)) {
            ps.setString(1, TODAY.minusDays(29) + "T00:00:00.000000Z");
            ps.setString(2, TODAY.plusDays(1) + "T00:00:00.000000Z");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void thePageShowsWhatItsJsonAndTheDatabaseSayWithNoErrorAndNoOutsideRequest() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install the Debian package"
                + " chromium (.ci/run does) to run the dashboard's browser test");
        JsonNode audience = JSON.readTree(get("/stats/api/audience?from=" + TODAY.minusDays(29) + "&to=" + TODAY
                + "&source=all").body());
        long jsonPlays = 0;
        long jsonSessions = 0;
        for (JsonNode day : audience.get("days")) {
            jsonPlays += day.get("plays").asLong();
            jsonSessions += day.get("sessions").asLong();
        }
        assertThat(jsonPlays).isEqualTo(sqlCount(""));
        assertThat(listeningNow).isGreaterThanOrEqualTo(7);
        assertThat(audience.get("days")).hasSize(30);

        List<String> problems = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(CHROMIUM).setHeadless(true))) {
            for (int width : new int[] {1280, 390}) {
                Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(width, width > 600 ? 900 : 844));
                page.onConsoleMessage(m -> {
                    if (m.type().equals("error") || m.type().equals("warning")) {
                        problems.add(width + ": " + m.text());
                    }
                });
                page.onPageError(e -> problems.add(width + ": " + e));
                page.onRequest(r -> requests.add(r.url()));
                page.navigate(base + "/stats/");
                page.waitForSelector("body[data-loaded=true]");
                assertThat(page.textContent("#plays").replace(",", "")).isEqualTo(Long.toString(jsonPlays));
                assertThat(page.textContent("#sessions").replace(",", "")).isEqualTo(Long.toString(jsonSessions));
                assertThat(page.textContent("#uniqueListeners").replace(",", ""))
                        .isEqualTo(audience.get("uniqueListeners").asText());
                assertThat(page.textContent("#listenersNow")).isEqualTo(Long.toString(listeningNow));
                assertThat(page.locator("#days tbody tr").count()).isEqualTo(30);
                assertThat(page.locator("#apps tbody tr").first().textContent()).doesNotContain("Googlebot");
                Path shot = Path.of("target", "dashboard-" + width + ".png");
                page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
                assertThat(Files.size(shot)).isGreaterThan(20_000);

                page.click("button[data-days='7']");
                page.waitForSelector("body[data-loaded=true]");
                long weekPlays = 0;
                JsonNode week = JSON.readTree(get("/stats/api/audience?from=" + TODAY.minusDays(6) + "&to=" + TODAY
                        + "&source=all").body());
                for (JsonNode day : week.get("days")) {
                    weekPlays += day.get("plays").asLong();
                }
                assertThat(page.textContent("#plays").replace(",", "")).isEqualTo(Long.toString(weekPlays));
                long weekBefore = JSON.readTree(get("/stats/api/previous?from=" + TODAY.minusDays(6) + "&to=" + TODAY
                        + "&source=all").body()).get("plays").asLong();
                assertThat(weekBefore).isPositive();
                String playsChange = page.textContent("#playsChange");
                if (weekPlays == weekBefore) {
                    assertThat(playsChange).isEqualTo("0 % vs before");
                } else {
                    assertThat(playsChange).endsWith(" % vs before").startsWith(weekPlays > weekBefore ? "+" : "-");
                    assertThat(page.getAttribute("#playsChange", "class"))
                            .contains(weekPlays > weekBefore ? "up" : "down");
                }
                assertThat(page.getAttribute("#uniqueListenersChange", "title"))
                        .isEqualTo("compared with " + TODAY.minusDays(13) + " to " + TODAY.minusDays(7));
                JsonNode countries = JSON.readTree(get("/stats/api/countries?from=" + TODAY.minusDays(6) + "&to="
                        + TODAY + "&source=all").body()).get("countries");
                assertThat(page.locator("#countries tbody tr").count()).isEqualTo(countries.size()).isEqualTo(5);
                assertThat(page.locator("#countries tbody tr").first().textContent())
                        .startsWith("France (FR)" + String.format("%,d", countries.get(0).get("sessions").asLong()));
                assertThat(page.locator("#countries tbody tr").allTextContents()).anyMatch(r -> r.startsWith(
                        "Not located"));
                assertThat(page.getAttribute("#countriesCredit a", "href")).isEqualTo("https://db-ip.com");
                assertThat(page.locator("#downloads tbody tr").allTextContents()).containsExactly(
                        "shows/monday.mp3Radio One21", "=HYPERLINK(1).mp3Jazz FM10", "ep, \"2\".mp3Radio One01");
                if (width < 600) {
                    assertThat(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                            .as("no sideways swiping on a phone").isEqualTo(true);
                    assertThat(page.evaluate("() => { const s = document.querySelector('.daily .scroll');"
                            + " return s.scrollWidth <= s.clientWidth; }")).as("the daily table fits").isEqualTo(true);
                    assertThat(page.evaluate("() => { const s = document.querySelector('.countries .scroll');"
                            + " return s.scrollWidth <= s.clientWidth; }")).as("the countries fit").isEqualTo(true);
                    assertThat(page.evaluate("() => { const s = document.querySelector('.downloads .scroll');"
                            + " return s.scrollWidth <= s.clientWidth; }")).as("the downloads fit").isEqualTo(true);
                }

                page.selectOption("#source", "2");
                page.waitForSelector("body[data-loaded=true]");
                assertThat(page.locator("#source option").allTextContents())
                        .contains("All sources", "Radio One", "Jazz FM", "Talk 24");
                page.close();
            }
        }
        assertThat(problems).isEmpty();
        assertThat(requests).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/stats/"));
    }

    @Test
    void downloadsPerFileAreJsonAndCsvWithAFileNameASpreadsheetCannotRun() throws Exception {
        String range = "from=" + TODAY.minusDays(6) + "&to=" + TODAY + "&source=all";
        JsonNode files = JSON.readTree(get("/stats/api/downloads?" + range).body()).get("downloads");
        assertThat(files).hasSize(3);
        assertThat(files.get(0).toString()).isEqualTo("{\"sourceId\":1,\"file\":\"shows/monday.mp3\",\"downloads\":2,"
                + "\"botDownloads\":1}");
        List<String> csv = get("/stats/downloads.csv?" + range).body().lines().toList();
        assertThat(csv).containsExactly("source_id,file,downloads,bot_downloads", "1,\"shows/monday.mp3\",2,1",
                "2,\"'=HYPERLINK(1).mp3\",1,0", "1,\"ep, \"\"2\"\".mp3\",0,1");
        assertThat(JSON.readTree(get("/stats/api/downloads?from=" + TODAY.minusDays(6) + "&to=" + TODAY
                + "&source=3").body()).get("downloads")).isEmpty();
        assertThat(get("/stats/downloads.csv?from=2026-03-10&to=2026-03-01").statusCode()).isEqualTo(400);
        assertThat(get("/private/api/downloads").statusCode()).isEqualTo(403);
    }

    @Test
    void theCountriesJsonAndCsvAddUpToTheRangesSessions() throws Exception {
        String range = "from=" + TODAY.minusDays(6) + "&to=" + TODAY + "&source=1";
        JsonNode body = JSON.readTree(get("/stats/api/countries?" + range).body());
        long sessions = 0;
        for (JsonNode day : JSON.readTree(get("/stats/api/audience?" + range).body()).get("days")) {
            sessions += day.get("sessions").asLong();
        }
        long countrySessions = 0;
        for (JsonNode country : body.get("countries")) {
            countrySessions += country.get("sessions").asLong();
        }
        assertThat(countrySessions).isEqualTo(sessions).isPositive();
        assertThat(body.get("countries").get(0).get("country").asText()).isEqualTo("FR");
        assertThat(body.get("credit").asText()).isEqualTo("IP Geolocation by DB-IP (https://db-ip.com)");
        HttpResponse<String> csv = get("/stats/countries.csv?" + range);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("country,sessions,unique_listeners,listening_seconds,average_active_sessions");
        assertThat(lines).hasSize(body.get("countries").size() + 1);
        assertThat(lines.get(1)).startsWith("FR," + body.get("countries").get(0).get("sessions").asLong() + ",");
        assertThat(get("/stats/countries.csv?from=2026-03-10&to=2026-03-01").statusCode()).isEqualTo(400);
        assertThat(get("/private/api/countries").statusCode()).isEqualTo(403);
    }

    @Test
    void thePreviousPeriodIsAsLongAndEndsTheDayBeforeTheAskedOne() throws Exception {
        JsonNode previous = JSON.readTree(get("/stats/api/previous?from=" + TODAY.minusDays(6) + "&to=" + TODAY
                + "&source=2").body());
        assertThat(previous.get("from").asText()).isEqualTo(TODAY.minusDays(13).toString());
        assertThat(previous.get("to").asText()).isEqualTo(TODAY.minusDays(7).toString());
        JsonNode sameRange = JSON.readTree(get("/stats/api/audience?from=" + TODAY.minusDays(13) + "&to="
                + TODAY.minusDays(7) + "&source=2").body());
        long plays = 0;
        double hours = 0;
        for (JsonNode day : sameRange.get("days")) {
            plays += day.get("plays").asLong();
            hours += day.get("listeningHours").asDouble();
        }
        assertThat(previous.get("plays").asLong()).isEqualTo(plays).isPositive();
        // The JSON gives hours to three places, so the sum of the rounded days may differ by half a thousandth a day.
        assertThat(previous.get("listeningHours").asDouble()).isCloseTo(hours,
                org.assertj.core.api.Assertions.within(0.0005 * sameRange.get("days").size() + 1e-9));
        assertThat(previous.get("uniqueListeners").asLong()).isEqualTo(sameRange.get("uniqueListeners").asLong());

        JsonNode first = JSON.readTree(get("/stats/api/previous?from=0001-01-01&to=0001-01-05").body());
        assertThat(first.get("from").isNull()).isTrue();
        assertThat(first.has("plays")).isFalse();
        assertThat(get("/stats/api/previous?from=2026-03-10&to=2026-03-01").statusCode()).isEqualTo(400);
    }

    @Test
    void itsJsonHoldsNoAddressHashAndItsCsvTheDailyTable() throws Exception {
        for (String path : List.of("/stats/api/audience", "/stats/api/top", "/stats/api/hourly", "/stats/api/now",
                "/stats/api/sources")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertThat(hashes).noneMatch(hash -> response.body().contains(hash));
        }
        HttpResponse<String> csv = get("/stats/daily.csv?from=" + TODAY.minusDays(6) + "&to=" + TODAY);
        assertThat(csv.body().lines()).hasSize(8).first().asString().startsWith("day,plays,sessions,bot_plays");
        assertThat(get("/stats/api/audience?from=nope").statusCode()).isEqualTo(400);
        assertThat(get("/stats/api/audience?source=-1").statusCode()).isEqualTo(400);
        assertThat(get("/stats/assets/chart.umd.min.js").body()).contains("Chart");
        assertThat(get("/stats/assets/nothing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void datesOfYearsOneTo9999AndAsciiIdsOnlyElseOur400WithTheReason() throws Exception {
        for (String path : List.of("/stats/api/audience?to=%2B999999999-12-31", "/stats/daily.csv?to=-999999999-01-01",
                "/stats/api/top?from=0000-01-01&to=0000-01-02", "/stats/api/hourly?day=%2B10000-01-01",
                "/stats/api/audience?from=-0001-01-01", "/stats/api/audience?source=%EF%BC%91",
                "/stats/api/hourly?source=%D9%A3")) {
            HttpResponse<String> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).as(path).startsWith("text/plain");
            assertThat(answer.body()).as(path).containsAnyOf("years 1 to 9999", "positive id").doesNotContain("Exception");
        }
        assertThat(get("/stats/api/audience?from=0001-01-01&to=0001-12-31").statusCode()).isEqualTo(200);
        assertThat(get("/stats/api/audience?from=9999-01-01&to=9999-12-31").statusCode()).isEqualTo(200);
    }

    @Test
    void theCsvRoundsToThreePlacesInPlainNotationAndTodaysHoursStopAtNow() throws Exception {
        List<String> lines = get("/stats/daily.csv?from=" + TODAY.minusDays(6) + "&to=" + TODAY).body().lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            for (int decimal : new int[] {6, 7, 9, 10}) {
                assertThat(fields[decimal]).as(line).matches("[0-9]+\\.[0-9]{3}");
            }
        }
        int hourNow = NOW.atZone(ZoneOffset.UTC).getHour();
        assertThat(get("/stats/api/hourly?day=" + TODAY).body()).contains("\"hoursSoFar\":" + (hourNow + 1));
        assertThat(get("/stats/api/hourly?day=" + TODAY.minusDays(1)).body()).contains("\"hoursSoFar\":24");
    }

    @Test
    void itServesNothingUntilTheHostSaysWhoMaySeeIt() throws Exception {
        assertThat(get("/private/").statusCode()).isEqualTo(403);
        assertThat(get("/private/api/audience").statusCode()).isEqualTo(403);
        assertThatThrownBy(() -> ListenDashboardServlet.builder(ListenStats.create(pool)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call access(request -> ...) with your own check, or publicAccess()");
    }
}
