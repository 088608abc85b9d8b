package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStore contract: JdbcListenStore on PostgreSQL with listen_event partitioned by month")
@EnabledIfEnvironmentVariable(named = PostgresDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = PostgresDatabase.NOT_SET)
class PostgresPartitionedStoreContractTest extends JdbcStoreContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new PostgresDatabase();
    }

    @Override
    void migrate(DatabaseTest database) {
        database.hostFlyway().migrate();
        ListenLogMigrations.migratePartitioned(database.dataSource());
    }
}
