package com.example.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.jdbc.ListenLogMigrations;
import io.listenlog.servlet.ListenLogFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;

public final class JettyRadio {

    public static void main(String[] args) throws Exception {
        start(args.length > 0 ? Integer.parseInt(args[0]) : 8080, Path.of("radio.db")).join();
    }

    public static Server start(int port, Path databaseFile) throws Exception {
        HikariDataSource db = ListenLogDataSources.sqlite(databaseFile);
        createRadioSources(db);
        ListenLogMigrations.migrate(db);
        ListenLogger listens = ListenLogger.builder()
                .store(JdbcListenStore.create(db))
                .anonymizer(IpAnonymizer.fromEnvironment())   // the key in LISTEN_LOG_SALT
                .build();

        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new StreamServlet(), "/listen/*");
        FilterHolder filter = new FilterHolder(ListenLogFilter.builder(listens)
                .countOn(ListenLogFilter.CountOn.PAGE_VIEW)  // /listen/<id> is the stream itself: each GET is a play
                .build());
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/listen/*", EnumSet.of(DispatcherType.REQUEST));

        Server server = new Server(port);
        server.setHandler(context);
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                listens.close();   // writes what is queued, then
                db.close();        // the pool closes
            }
        });
        server.start();
        return server;
    }

    /** The application's own table; listen-log adds listen_count to it and references it. */
    private static void createRadioSources(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS radio_source (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            s.execute("INSERT OR IGNORE INTO radio_source (id, name) VALUES (1, 'Radio One')");
        }
    }

    /** Stands in for the real stream or player page. */
    static final class StreamServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().println("now playing " + request.getPathInfo());
        }
    }
}
