package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStats, ListenRetention and JdbcDailyKeyStore on PostgreSQL")
@EnabledIfEnvironmentVariable(named = PostgresDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = PostgresDatabase.URL_VARIABLE + " is not set: run .ci/run, or set it to a JDBC URL such as "
                + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres, to run the suite on PostgreSQL")
class PostgresListenStatsTest extends ListenStatsContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new PostgresDatabase();
    }
}
