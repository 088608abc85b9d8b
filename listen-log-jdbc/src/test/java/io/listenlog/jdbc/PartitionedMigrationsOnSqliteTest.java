package io.listenlog.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionedMigrationsOnSqliteTest extends DatabaseTest {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new SqliteDatabase();
    }

    @Test
    void partitionsAreRefusedOutsidePostgresqlWithTheCallToUseInstead() {
        hostFlyway().migrate();
        assertThatThrownBy(() -> ListenLogMigrations.migratePartitioned(dataSource()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitioned listen_event is for PostgreSQL; on SQLite use"
                        + " ListenLogMigrations.migrate(dataSource)");
        assertThat(tableExists("listen_event")).isFalse();
    }
}
