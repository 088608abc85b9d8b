package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStore contract: JdbcListenStore on MariaDB")
@EnabledIfEnvironmentVariable(named = MariaDbDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = MariaDbDatabase.NOT_SET)
class MariaDbStoreContractTest extends JdbcStoreContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new MariaDbDatabase();
    }
}
