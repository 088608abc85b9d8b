package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStore contract: JdbcListenStore on PostgreSQL")
@EnabledIfEnvironmentVariable(named = PostgresDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = PostgresDatabase.NOT_SET)
class PostgresStoreContractTest extends JdbcStoreContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new PostgresDatabase();
    }
}
