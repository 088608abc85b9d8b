package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStats, ListenRetention and JdbcDailyKeyStore on MariaDB")
@EnabledIfEnvironmentVariable(named = MariaDbDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = MariaDbDatabase.URL_VARIABLE + " is not set: run .ci/run, or set it to a JDBC URL such as "
                + "jdbc:mariadb://127.0.0.1:3306/test?user=root, to run the suite on MariaDB")
class MariaDbListenStatsTest extends ListenStatsContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new MariaDbDatabase();
    }
}
