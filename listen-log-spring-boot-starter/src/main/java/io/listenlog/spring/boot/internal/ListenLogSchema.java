package io.listenlog.spring.boot.internal;

import io.listenlog.jdbc.ListenLogMigrations;
import io.listenlog.spring.boot.ListenLogProperties.MigrationMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/**
 * The listen-log schema, brought up to date once the application's own database initialization (its Flyway, its SQL
 * scripts) has run, since listen-log's migration extends the application's {@code radio_source} table.
 */
public final class ListenLogSchema {
    private static final Logger LOG = LoggerFactory.getLogger(ListenLogSchema.class);

    private ListenLogSchema() {
    }

    public static ListenLogSchema migrate(DataSource dataSource, MigrationMode mode, HostFlyway hostFlyway) {
        switch (mode) {
            case NONE -> LOG.info("listen-log: listenlog.migrations=none, the application migrates the listen-log schema");
            case AUTO -> {
                if (hostFlyway.migratesListenLog()) {
                    LOG.info("listen-log: the application's Flyway migrates the listen-log schema");
                } else {
                    ListenLogMigrations.migrate(dataSource);
                }
            }
            case LIBRARY -> ListenLogMigrations.migrate(dataSource);
        }
        return new ListenLogSchema();
    }
}
