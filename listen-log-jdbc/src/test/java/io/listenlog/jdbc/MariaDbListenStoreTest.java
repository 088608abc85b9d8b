package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("JdbcListenStore on MariaDB")
@EnabledIfEnvironmentVariable(named = MariaDbDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = MariaDbDatabase.URL_VARIABLE + " is not set: run .ci/run, or set it to a JDBC URL such as "
                + "jdbc:mariadb://127.0.0.1:3306/test?user=root, to run the suite on MariaDB")
class MariaDbListenStoreTest extends JdbcListenStoreContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new MariaDbDatabase();
    }
}
