package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStats, ListenRetention and JdbcDailyKeyStore on MariaDB")
@EnabledIfEnvironmentVariable(named = MariaDbDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = MariaDbDatabase.NOT_SET)
class MariaDbListenStatsTest extends ListenStatsContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new MariaDbDatabase();
    }
}
