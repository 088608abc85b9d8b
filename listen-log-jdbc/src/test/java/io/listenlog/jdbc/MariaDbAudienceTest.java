package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStats audience on MariaDB")
@EnabledIfEnvironmentVariable(named = MariaDbDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = MariaDbDatabase.NOT_SET)
class MariaDbAudienceTest extends AudienceContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new MariaDbDatabase();
    }
}
