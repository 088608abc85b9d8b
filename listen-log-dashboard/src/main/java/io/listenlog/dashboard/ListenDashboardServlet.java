package io.listenlog.dashboard;

import io.listenlog.core.internal.JsonWriter;
import io.listenlog.jdbc.CountedValue;
import io.listenlog.jdbc.CountryAudience;
import io.listenlog.jdbc.FileDownloads;
import io.listenlog.jdbc.DailyAudience;
import io.listenlog.jdbc.HourlyAudience;
import io.listenlog.jdbc.ListenStats;
import io.listenlog.jdbc.SourceListens;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A station's audience dashboard, mounted by the host at any path ({@code /stats/*}, say): one page with the figures
 * of docs/metrics.md, the same figures as JSON for the host's own tools, and CSVs of the daily, countries and
 * downloads tables. Charts come
 * from chart.js, served from its WebJar in this servlet's path: the page makes no outside request.
 *
 * <p>It shows business data, so it serves nothing until the host says who may see it:
 * {@link Builder#access(Predicate)} (a check on the request, such as a role) or {@link Builder#publicAccess()}.
 * Its JSON holds aggregates only, never an address hash.
 *
 * <p>Paths under the mount point (docs/dashboard.md lists the fields): {@code /} the page; {@code /api/audience},
 * {@code /api/previous}, {@code /api/hourly}, {@code /api/top}, {@code /api/now}, {@code /api/sources},
 * {@code /api/countries}, {@code /api/downloads} JSON; {@code /daily.csv}, {@code /countries.csv},
 * {@code /downloads.csv}; and
 * {@code /assets/...} its script, style and chart.js.
 */
public final class ListenDashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** ASCII digits only: {@code LocalDate.parse} and {@code Long.parseLong} would take other scripts' digits too. */
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern ASCII_ID = Pattern.compile("[0-9]{1,19}");
    private static final int MAX_DAYS = ListenStats.MAX_RANGE_DAYS;
    private static final Map<String, String[]> ASSETS = Map.of(
            "/assets/dashboard.js", new String[] {"/io/listenlog/dashboard/internal/dashboard.js",
                    "text/javascript"},
            "/assets/dashboard.css", new String[] {"/io/listenlog/dashboard/internal/dashboard.css", "text/css"},
            "/assets/chart.umd.min.js", new String[] {chartJs(), "text/javascript"});

    /** Chart.js from its WebJar, at the version the build resolved: the WebJar's own pom.properties says which. */
    private static String chartJs() {
        java.util.Properties webjar = new java.util.Properties();
        try (InputStream in = ListenDashboardServlet.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("listen-log-dashboard needs the WebJar org.webjars.npm:chart.js on the"
                        + " class path; its Maven dependency brings it");
            }
            webjar.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return "/META-INF/resources/webjars/chart.js/" + webjar.getProperty("version") + "/dist/chart.umd.min.js";
    }

    private final transient ListenStats stats;
    private final transient Predicate<HttpServletRequest> access;
    private final transient Supplier<Map<Long, String>> sourceNames;
    private final transient Clock clock;
    private final String title;
    private final @Nullable String countriesCredit;

    private ListenDashboardServlet(Builder b) {
        this.stats = b.stats;
        this.access = Objects.requireNonNull(b.access, "access");
        this.sourceNames = b.sourceNames;
        this.clock = b.clock;
        this.title = b.title;
        this.countriesCredit = b.countriesCredit;
    }

    /** A builder for a dashboard over {@code stats}. */
    public static Builder builder(ListenStats stats) {
        return new Builder(Objects.requireNonNull(stats, "stats"));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        boolean allowed;
        try {
            allowed = access.test(request);
        } catch (RuntimeException e) {
            allowed = false;
        }
        if (!allowed) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "not allowed to see the listening statistics");
            return;
        }
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            switch (path) {
                case "/", "/index.html" -> page(request, response);
                case "/api/audience" -> json(response, audience(request));
                case "/api/previous" -> json(response, previous(request));
                case "/api/hourly" -> json(response, hourly(request));
                case "/api/top" -> json(response, top(request));
                case "/api/now" -> json(response, Map.of("listenersNow",
                        stats.activeSessions(source(request), clock.instant())));
                case "/api/sources" -> json(response, sources());
                case "/api/countries" -> json(response, countries(request));
                case "/api/downloads" -> json(response, downloads(request));
                case "/daily.csv" -> csv(request, response);
                case "/countries.csv" -> countriesCsv(request, response);
                case "/downloads.csv" -> downloadsCsv(request, response);
                default -> asset(path, response);
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // Our own answer, not the container's error page.
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(e.getMessage() + "\n");
        }
    }

    private void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String base = request.getContextPath() + request.getServletPath();
        String html = resource("/io/listenlog/dashboard/internal/dashboard.html")
                .replace("{{title}}", escape(title))
                .replace("{{base}}", escape(base))
                .replace("{{today}}", LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString());
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self';"
                + " script-src 'self'; connect-src 'self'; frame-ancestors 'self'");
        response.getWriter().write(html);
    }

    private Map<String, Object> audience(HttpServletRequest request) {
        LocalDate[] range = range(request);
        Long source = source(request);
        List<Map<String, Object>> days = new ArrayList<>();
        for (DailyAudience d : stats.audience(source, range[0], range[1])) {
            days.add(day(d));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", source);
        body.put("from", range[0].toString());
        body.put("to", range[1].toString());
        body.put("uniqueListeners", stats.uniqueListeners(source, range[0], range[1]));
        body.put("days", days);
        return body;
    }

    /**
     * The totals of the period just before the asked one and as long, which the page's cards compare with; empty
     * dates and figures when that period would begin before year 1.
     */
    private Map<String, Object> previous(HttpServletRequest request) {
        LocalDate[] range = range(request);
        Long source = source(request);
        long length = ChronoUnit.DAYS.between(range[0], range[1]) + 1;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", source);
        if (range[0].minusDays(length).getYear() < 1) {
            body.put("from", null);
            body.put("to", null);
            return body;
        }
        LocalDate from = range[0].minusDays(length);
        LocalDate to = range[0].minusDays(1);
        long plays = 0;
        long sessions = 0;
        long listeningSeconds = 0;
        for (DailyAudience d : stats.audience(source, from, to)) {
            plays += d.plays();
            sessions += d.sessions();
            listeningSeconds += d.listeningSeconds();
        }
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("plays", plays);
        body.put("sessions", sessions);
        body.put("uniqueListeners", stats.uniqueListeners(source, from, to));
        body.put("listeningHours", listeningSeconds / 3600.0);
        return body;
    }

    private static Map<String, Object> day(DailyAudience d) {
        Map<String, Object> day = new LinkedHashMap<>();
        day.put("day", d.day().toString());
        day.put("plays", d.plays());
        day.put("sessions", d.sessions());
        day.put("botPlays", d.botPlays());
        day.put("uniqueListeners", d.uniqueListeners());
        day.put("listeningHours", d.listeningSeconds() / 3600.0);
        day.put("averageActiveSessions", d.averageActiveSessions());
        day.put("timeSpentListeningMinutes", d.timeSpentListeningSeconds() / 60.0);
        day.put("peakConcurrentSessions", d.peakConcurrentSessions());
        day.put("averageQuarterHour", d.averageQuarterHour());
        day.put("averageSessionMinutes", d.averageSessionSeconds() / 60.0);
        return day;
    }

    private Map<String, Object> hourly(HttpServletRequest request) {
        LocalDate day = date(request, "day", LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        List<Map<String, Object>> hours = new ArrayList<>();
        for (HourlyAudience h : stats.hourly(source(request), day)) {
            Map<String, Object> hour = new LinkedHashMap<>();
            hour.put("hour", h.hour());
            hour.put("plays", h.plays());
            hour.put("sessions", h.sessions());
            hour.put("listeningHours", h.listeningSeconds() / 3600.0);
            hour.put("averageActiveSessions", h.averageActiveSessions());
            hour.put("uniqueListeners", h.uniqueListeners());
            hours.add(hour);
        }
        LocalDateTime now = LocalDateTime.now(clock.withZone(ZoneOffset.UTC));
        int hoursSoFar = day.isBefore(now.toLocalDate()) ? 24 : day.isAfter(now.toLocalDate()) ? 0 : now.getHour() + 1;
        return Map.of("day", day.toString(), "hours", hours, "hoursSoFar", hoursSoFar);
    }

    private Map<String, Object> top(HttpServletRequest request) {
        LocalDate[] range = range(request);
        Long source = source(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apps", counted(stats.topClients(source, range[0], range[1], 10)));
        body.put("platforms", counted(stats.topPlatforms(source, range[0], range[1], 10)));
        body.put("referrerHosts", counted(stats.topReferrerHosts(source, range[0], range[1], 10)));
        return body;
    }

    private Map<String, Object> countries(HttpServletRequest request) {
        LocalDate[] range = range(request);
        List<Map<String, Object>> countries = new ArrayList<>();
        for (CountryAudience c : stats.countries(source(request), range[0], range[1])) {
            Map<String, Object> country = new LinkedHashMap<>();
            country.put("country", c.country());
            country.put("sessions", c.sessions());
            country.put("uniqueListeners", c.uniqueListeners());
            country.put("listeningHours", c.listeningHours());
            country.put("averageActiveSessions", c.averageActiveSessions());
            countries.add(country);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("countries", countries);
        body.put("credit", countriesCredit == null ? "" : countriesCredit);
        return body;
    }

    private void countriesCsv(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LocalDate[] range = range(request);
        StringBuilder out = new StringBuilder("country,sessions,unique_listeners,listening_seconds,"
                + "average_active_sessions\r\n");
        for (CountryAudience c : stats.countries(source(request), range[0], range[1])) {
            out.append(c.country()).append(',').append(c.sessions()).append(',').append(c.uniqueListeners())
                    .append(',').append(c.listeningSeconds()).append(',').append(decimal(c.averageActiveSessions()))
                    .append("\r\n");
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"countries-" + range[0] + "-" + range[1]
                + ".csv\"");
        response.getWriter().write(out.toString());
    }

    private Map<String, Object> downloads(HttpServletRequest request) {
        LocalDate[] range = range(request);
        List<Map<String, Object>> files = new ArrayList<>();
        for (FileDownloads d : stats.downloads(source(request), range[0], range[1])) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("sourceId", d.sourceId());
            file.put("file", d.file());
            file.put("downloads", d.downloads());
            file.put("botDownloads", d.botDownloads());
            files.add(file);
        }
        return Map.of("downloads", files);
    }

    private void downloadsCsv(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LocalDate[] range = range(request);
        StringBuilder out = new StringBuilder("source_id,file,downloads,bot_downloads\r\n");
        for (FileDownloads d : stats.downloads(source(request), range[0], range[1])) {
            out.append(d.sourceId()).append(',').append(csvText(d.file())).append(',').append(d.downloads())
                    .append(',').append(d.botDownloads()).append("\r\n");
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"downloads-" + range[0] + "-" + range[1]
                + ".csv\"");
        response.getWriter().write(out.toString());
    }

    /** A CSV field (RFC 4180), with a leading formula character neutralized so a spreadsheet shows it as text. */
    private static String csvText(String value) {
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static List<Map<String, Object>> counted(List<CountedValue> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CountedValue v : values) {
            out.add(Map.of("value", v.value(), "plays", v.plays()));
        }
        return out;
    }

    private List<Map<String, Object>> sources() {
        Map<Long, String> names = sourceNames.get();
        List<Map<String, Object>> out = new ArrayList<>();
        if (names != null && !names.isEmpty()) {
            names.forEach((id, name) -> out.add(Map.of("id", id, "name", name)));
            return out;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        for (SourceListens s : stats.topSources(today.minusDays(MAX_DAYS - 1), today, 100)) {
            out.add(Map.of("id", s.sourceId(), "name", "Source " + s.sourceId()));
        }
        return out;
    }

    private void csv(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LocalDate[] range = range(request);
        StringBuilder out = new StringBuilder("day,plays,sessions,bot_plays,unique_listeners,listening_seconds,"
                + "average_active_sessions,time_spent_listening_seconds,peak_concurrent_sessions,average_quarter_hour,"
                + "average_session_seconds\r\n");
        for (DailyAudience d : stats.audience(source(request), range[0], range[1])) {
            out.append(d.day()).append(',').append(d.plays()).append(',').append(d.sessions()).append(',')
                    .append(d.botPlays()).append(',').append(d.uniqueListeners()).append(',')
                    .append(d.listeningSeconds()).append(',').append(decimal(d.averageActiveSessions())).append(',')
                    .append(decimal(d.timeSpentListeningSeconds())).append(',').append(d.peakConcurrentSessions())
                    .append(',').append(decimal(d.averageQuarterHour())).append(',')
                    .append(decimal(d.averageSessionSeconds())).append("\r\n");
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"listens-" + range[0] + "-" + range[1]
                + ".csv\"");
        response.getWriter().write(out.toString());
    }

    /** Three places, never scientific notation: {@code 0.000}, not {@code 1.0E-4}. */
    private static String decimal(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    private void asset(String path, HttpServletResponse response) throws IOException {
        String[] asset = ASSETS.get(path);
        if (asset == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(asset[1] + ";charset=UTF-8");
        try (InputStream in = ListenDashboardServlet.class.getResourceAsStream(asset[0]);
             OutputStream out = response.getOutputStream()) {
            if (in == null) {
                throw new IllegalStateException("listen-log-dashboard's jar lacks " + asset[0]);
            }
            in.transferTo(out);
        }
    }

    private static void json(HttpServletResponse response, Object body) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write(JsonWriter.forPage(body));
    }

    private LocalDate[] range(HttpServletRequest request) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate to = date(request, "to", today);
        LocalDate from = date(request, "from", to.minusDays(29));
        if (from.isAfter(to) || from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw new IllegalArgumentException("from must be on or before to, at most " + MAX_DAYS + " days apart");
        }
        return new LocalDate[] {from, to};
    }

    private static LocalDate date(HttpServletRequest request, String name, LocalDate fallback) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            if (!ISO_DATE.matcher(value).matches()) {
                throw new DateTimeParseException("not yyyy-MM-dd", value, 0);
            }
            LocalDate date = LocalDate.parse(value);
            if (date.getYear() < 1) {
                throw new DateTimeParseException("year 0", value, 0);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date of the years 1 to 9999 like 2026-03-09");
        }
    }

    private static @Nullable Long source(HttpServletRequest request) {
        String value = request.getParameter("source");
        if (value == null || value.isBlank() || value.equals("all")) {
            return null;
        }
        try {
            if (!ASCII_ID.matcher(value).matches()) {
                throw new NumberFormatException();
            }
            long id = Long.parseLong(value);
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("source must be a positive id or all");
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ListenDashboardServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("listen-log-dashboard's jar lacks " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Configures a {@link ListenDashboardServlet}; who may see it must be said. */
    public static final class Builder {
        private final ListenStats stats;
        private @Nullable Predicate<HttpServletRequest> access;
        private Supplier<Map<Long, String>> sourceNames = Map::of;
        private Clock clock = Clock.systemUTC();
        private String title = "Listening";
        private @Nullable String countriesCredit;

        private Builder(ListenStats stats) {
            this.stats = stats;
        }

        /**
         * Who may see the dashboard, checked on every request: for example
         * {@code request -> request.isUserInRole("station-manager")}. Others get 403; a check that throws counts as
         * a refusal.
         */
        public Builder access(Predicate<HttpServletRequest> access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /** Anybody may see it: say so explicitly, the figures are business data. */
        public Builder publicAccess() {
            this.access = request -> true;
            return this;
        }

        /** The names of the sources for the picker, by id; default "Source 42" for the sources with listens. */
        public Builder sourceNames(Supplier<Map<Long, String>> sourceNames) {
            this.sourceNames = Objects.requireNonNull(sourceNames, "sourceNames");
            return this;
        }

        /** The page's title; default "Listening". */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /**
         * The credit line shown under the countries table, as the country database's licence asks of pages that show
         * its results, such as {@code MaxMindGeoLookup.attribution()}: "IP Geolocation by DB-IP (https://db-ip.com)".
         * Its address is shown as a link. None by default.
         */
        public Builder countriesCredit(String countriesCredit) {
            this.countriesCredit = Objects.requireNonNull(countriesCredit, "countriesCredit");
            return this;
        }

        /** What "today" and "right now" are; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalStateException when neither {@link #access} nor {@link #publicAccess} was called
         */
        public ListenDashboardServlet build() {
            if (access == null) {
                throw new IllegalStateException("say who may see the listening statistics: call access(request ->"
                        + " ...) with your own check, or publicAccess() to show them to anybody");
            }
            return new ListenDashboardServlet(this);
        }
    }
}
