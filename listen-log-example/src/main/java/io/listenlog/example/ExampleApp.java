package io.listenlog.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.jdbc.JdbcDailyKeyStore;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.jdbc.ListenLogMigrations;
import io.listenlog.jdbc.ListenRetention;
import io.listenlog.dashboard.ListenDashboardServlet;
import io.listenlog.jdbc.ListenStats;
import io.listenlog.servlet.ListenLogFilter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A small radio host app: a station list, a player page per station (what gets logged) and a stats page.
 *
 * <pre>
 * java -jar listen-log-example/target/listen-log-example.jar [--host localhost] [--port 8080] [--jdbc-url URL]
 * </pre>
 *
 * Without {@code --jdbc-url} (or {@code LISTEN_LOG_JDBC_URL}) it keeps its data in {@code listen-log-example.db} in
 * the working directory. Without {@code LISTEN_LOG_SALT} it anonymizes with daily rotating keys kept in the database,
 * which need no secret at all, and destroys them on its retention schedule.
 */
public final class ExampleApp implements AutoCloseable {
    private static Map<Long, String> stationNames(Stations stations) {
        try {
            Map<Long, String> names = new LinkedHashMap<>();
            for (Stations.Station station : stations.all()) {
                names.put(station.id(), station.name());
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the stations: " + e.getMessage(), e);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);

    static final String USAGE = """
            Usage: java -jar listen-log-example.jar [options]

              --host HOST       address to bind (env HOST; default localhost, 0.0.0.0 for every interface)
              --port N          HTTP port, 0 for any free one (env PORT; default 8080)
              --jdbc-url URL    a PostgreSQL, MariaDB/MySQL or SQLite JDBC URL (env LISTEN_LOG_JDBC_URL;
                                default: the SQLite file listen-log-example.db in the working directory)
              --help            print this and exit

            Environment: LISTEN_LOG_SALT, the IP anonymization key (generate one with `openssl rand -hex 32`);
            unset, listens are anonymized with daily rotating keys kept in the database.
            """;

    /** A configuration or startup problem, said in one line that names the option to fix. */
    static final class StartupProblem extends RuntimeException {
        StartupProblem(String message) {
            super(message);
        }
    }

    /** {@code --help} was given. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(USAGE, null, false, false);
        }
    }

    /**
     * @param host    the address to bind
     * @param port    the HTTP port; 0 picks a free one
     * @param jdbcUrl a JDBC URL (PostgreSQL, MariaDB, MySQL or SQLite), or {@code null} for {@code sqliteFile}
     * @param salt    the anonymization key, or {@code null} for daily rotating keys in the database
     */
    public record Config(String host, int port, String jdbcUrl, Path sqliteFile, String salt) {

        static Config parse(String[] args, Map<String, String> env) {
            String host = env.getOrDefault("HOST", "localhost");
            int port = port(env.getOrDefault("PORT", "8080"), "PORT");
            String jdbcUrl = env.get("LISTEN_LOG_JDBC_URL");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host" -> host = value(args, ++i, "--host");
                    case "--port" -> port = port(value(args, ++i, "--port"), "--port");
                    case "--jdbc-url" -> jdbcUrl = value(args, ++i, "--jdbc-url");
                    case "--help", "-h" -> throw new HelpRequested();
                    default -> throw new StartupProblem("unknown option " + args[i] + " (--help lists the options)");
                }
            }
            String salt = env.get(IpAnonymizer.SALT_VARIABLE);
            if (salt != null && salt.isEmpty()) {
                throw new StartupProblem(IpAnonymizer.SALT_VARIABLE + " is set but empty: unset it to use daily "
                        + "rotating keys kept in the database, or set it to a key from `openssl rand -hex 32`");
            }
            return new Config(host, port, jdbcUrl, Path.of("listen-log-example.db"), salt);
        }

        private static int port(String value, String option) {
            try {
                int port = Integer.parseInt(value.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new StartupProblem(option + " must be a port number from 0 to 65535, got '" + value + "'");
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new StartupProblem(option + " needs a value (--help lists the options)");
            }
            return args[i];
        }
    }

    private final HikariDataSource dataSource;
    private final ListenLogger listenLogger;
    private final ScheduledExecutorService retention;
    private final Server server;

    private ExampleApp(HikariDataSource dataSource, ListenLogger listenLogger, ScheduledExecutorService retention,
                       Server server) {
        this.dataSource = dataSource;
        this.listenLogger = listenLogger;
        this.retention = retention;
        this.server = server;
    }

    /**
     * Starts the app on {@code config}.
     *
     * @throws StartupProblem when the port is taken, the database unreachable or the key weak, saying what to fix
     */
    public static ExampleApp start(Config config) throws Exception {
        HikariDataSource dataSource = config.jdbcUrl() == null
                ? ListenLogDataSources.sqlite(config.sqliteFile())
                : pool(config.jdbcUrl());
        ListenLogger listenLogger = null;
        ScheduledExecutorService retention = null;
        try {
            Stations stations = new Stations(dataSource);
            stations.createAndSeed();
            ListenLogMigrations.migrate(dataSource);
            DailyKeyStore keys = config.salt() == null ? JdbcDailyKeyStore.create(dataSource) : null;
            listenLogger = ListenLogger.builder()
                    .store(JdbcListenStore.create(dataSource))
                    .anonymizer(anonymizer(config, keys))
                    .closeOnShutdown(false)  // closed by this app's own shutdown sequence
                    .build();
            retention = scheduleRetention(dataSource, keys);

            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(config.host());
            connector.setPort(config.port());
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            Pages pages = new Pages(stations);
            context.addServlet(new ServletHolder("stations", pages.home()), "/");
            context.addServlet(new ServletHolder("player", pages.player()), "/listen/*");
            // The same tone twice: /stream/ for the player pages, which report what they play, and /radio/ under the
            // filter's stream prefix for players that open a stream directly (its connection is the listen).
            context.addServlet(new ServletHolder("stream", new ToneStream()), "/stream/*");
            context.addServlet(new ServletHolder("radio", new ToneStream()), "/radio/*");
            // And as an HLS live stream under the filter's HLS prefix: each listener who fetches segments is a listen.
            context.addServlet(new ServletHolder("hls", new ToneHls()), "/hls/*");
            // A demo on the developer's machine: anybody who reaches it may see the dashboard. A real host checks a
            // role here (access(request -> request.isUserInRole("station-manager"))).
            context.addServlet(new ServletHolder("stats", ListenDashboardServlet.builder(ListenStats.create(dataSource))
                    .publicAccess()
                    .title("listen-log example: listening")
                    .sourceNames(() -> stationNames(stations))
                    .build()), "/stats/*");
            FilterHolder listenHolder = new FilterHolder(ListenLogFilter.builder(listenLogger)
                    .streamPrefix("/radio/")
                    .hlsPrefix("/hls/")
                    .build());
            listenHolder.setAsyncSupported(true);
            context.addFilter(listenHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            startServer(server, config);
            ExampleApp app = new ExampleApp(dataSource, listenLogger, retention, server);
            LOG.info("listen-log example listening on http://{}:{}/ with {}", config.host(), app.port(),
                    describe(dataSource, config));
            return app;
        } catch (Exception | Error e) {
            if (retention != null) {
                retention.shutdownNow();
            }
            if (listenLogger != null) {
                listenLogger.close();
            }
            dataSource.close();
            throw e;
        }
    }

    private static void startServer(Server server, Config config) throws Exception {
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            boolean inUse = e instanceof BindException || e.getCause() instanceof BindException;
            throw new StartupProblem(inUse
                    ? "port " + config.port() + " on " + config.host() + " is in use: choose another with --port N "
                    + "(or PORT), or 0 for any free one"
                    : "cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage() + "): check "
                    + "--host (or HOST)");
        }
    }

    private static HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(4);
        config.setPoolName("listen-log-example");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StartupProblem("cannot connect to " + withoutCredentials(jdbcUrl) + " given by --jdbc-url (or "
                    + "LISTEN_LOG_JDBC_URL): " + root.getMessage());
        }
    }

    private static IpAnonymizer anonymizer(Config config, DailyKeyStore keys) {
        if (keys == null) {
            try {
                return IpAnonymizer.hmacSha256(config.salt());
            } catch (IllegalArgumentException e) {
                throw new StartupProblem(e.getMessage());
            }
        }
        LOG.info("{} is not set: anonymizing with daily rotating keys kept in the database", IpAnonymizer.SALT_VARIABLE);
        return IpAnonymizer.dailyRotating(keys);
    }

    /** Rolls days up, deletes events after 90 days and, with daily keys, destroys yesterday's key once a day is over. */
    private static ScheduledExecutorService scheduleRetention(HikariDataSource dataSource, DailyKeyStore keys) {
        ListenRetention.Builder retention = ListenRetention.builder(dataSource);
        if (keys != null) {
            retention.destroyDailyKeys(keys, Duration.ofDays(1));
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "listen-log-example-retention");
            thread.setDaemon(true);
            return thread;
        });
        retention.build().schedule(executor, Duration.ofHours(1));
        return executor;
    }

    /** Which database and schema this app uses, with no credentials. */
    private static String describe(HikariDataSource dataSource, Config config) throws SQLException {
        if (config.jdbcUrl() == null) {
            return "SQLite " + config.sqliteFile().toAbsolutePath();
        }
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion() + " at "
                    + withoutCredentials(config.jdbcUrl()) + (c.getSchema() == null ? "" : ", schema " + c.getSchema());
        }
    }

    /** {@code url} without {@code user:password@} and without user or password parameters. */
    static String withoutCredentials(String url) {
        return url.replaceAll("//[^/@?]*@", "//")
                .replaceAll("(?i)([?&;](user|password|username)=)[^&;]*", "$1***");
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public ListenLogger listenLogger() {
        return listenLogger;
    }

    /** Stops taking requests, writes what the logger still holds, then closes the pool. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            retention.shutdownNow();
            listenLogger.close();
            LOG.info("listen-log example stopped: {}", listenLogger.metrics());
            dataSource.close();
        }
    }

    public static void main(String[] args) throws Exception {
        ExampleApp app;
        try {
            app = start(Config.parse(args, System.getenv()));
        } catch (HelpRequested help) {
            System.out.print(USAGE);
            return;
        } catch (StartupProblem problem) {
            System.err.println("listen-log example: " + problem.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                LOG.error("shutdown failed", e);
            }
        }, "example-shutdown"));
        app.server.join();
    }
}
