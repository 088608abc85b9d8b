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

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

/**
 * A small radio host app: a station list, a player page per station (what gets logged) and a stats page.
 *
 * <pre>
 * java -jar listen-log-example/target/listen-log-example.jar [--port 8080] [--jdbc-url URL]
 * </pre>
 *
 * Without {@code --jdbc-url} (or {@code LISTEN_LOG_JDBC_URL}) it keeps its data in {@code listen-log-example.db} in
 * the working directory. Without {@code LISTEN_LOG_SALT} it anonymizes with daily rotating keys kept in the database,
 * which need no secret at all.
 */
public final class ExampleApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);

    /**
     * @param port    the HTTP port; 0 picks a free one
     * @param jdbcUrl a JDBC URL (PostgreSQL, MariaDB, MySQL or SQLite), or {@code null} for {@code sqliteFile}
     */
    public record Config(int port, String jdbcUrl, Path sqliteFile) {

        static Config parse(String[] args, Map<String, String> env) {
            int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
            String jdbcUrl = env.get("LISTEN_LOG_JDBC_URL");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--jdbc-url" -> jdbcUrl = value(args, ++i, "--jdbc-url");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: [--port 8080] [--jdbc-url jdbc:postgresql://host/db?user=u]");
                }
            }
            return new Config(port, jdbcUrl, Path.of("listen-log-example.db"));
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    private final HikariDataSource dataSource;
    private final ListenLogger listenLogger;
    private final Server server;

    private ExampleApp(HikariDataSource dataSource, ListenLogger listenLogger, Server server) {
        this.dataSource = dataSource;
        this.listenLogger = listenLogger;
        this.server = server;
    }

    public static ExampleApp start(Config config) throws Exception {
        HikariDataSource dataSource = config.jdbcUrl() == null
                ? ListenLogDataSources.sqlite(config.sqliteFile())
                : pool(config.jdbcUrl());
        ListenLogger listenLogger = null;
        try {
            Stations stations = new Stations(dataSource);
            stations.createAndSeed();
            ListenLogMigrations.migrate(dataSource);
            listenLogger = ListenLogger.builder()
                    .store(JdbcListenStore.create(dataSource))
                    .anonymizer(anonymizer(dataSource))
                    .closeOnShutdown(false)  // closed by this app's own shutdown sequence
                    .build();

            Server server = new Server(config.port());
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            Pages pages = new Pages(stations, ListenStats.create(dataSource));
            context.addServlet(new ServletHolder("stations", pages.home()), "/");
            context.addServlet(new ServletHolder("player", pages.player()), "/listen/*");
            context.addServlet(new ServletHolder("stats", pages.stats()), "/stats");
            FilterHolder listenHolder = new FilterHolder(ListenLogFilter.builder(listenLogger).build());
            listenHolder.setAsyncSupported(true);
            context.addFilter(listenHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            server.start();
            ExampleApp app = new ExampleApp(dataSource, listenLogger, server);
            LOG.info("listen-log example listening on http://localhost:{}/ ({})", app.port(),
                    config.jdbcUrl() == null ? "SQLite " + config.sqliteFile().toAbsolutePath() : "JDBC URL given");
            return app;
        } catch (Exception | Error e) {
            if (listenLogger != null) {
                listenLogger.close();
            }
            dataSource.close();
            throw e;
        }
    }

    private static HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(4);
        config.setPoolName("listen-log-example");
        return new HikariDataSource(config);
    }

    private static IpAnonymizer anonymizer(HikariDataSource dataSource) {
        if (System.getenv(IpAnonymizer.SALT_VARIABLE) != null) {
            return IpAnonymizer.fromEnvironment();
        }
        LOG.info("{} is not set: anonymizing with daily rotating keys kept in the database", IpAnonymizer.SALT_VARIABLE);
        DailyKeyStore keys = JdbcDailyKeyStore.create(dataSource);
        return IpAnonymizer.dailyRotating(keys);
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
            listenLogger.close();
            LOG.info("listen-log example stopped: {}", listenLogger.metrics());
            dataSource.close();
        }
    }

    public static void main(String[] args) throws Exception {
        ExampleApp app = start(Config.parse(args, System.getenv()));
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
