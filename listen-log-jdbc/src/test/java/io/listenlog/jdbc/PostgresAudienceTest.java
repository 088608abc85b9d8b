package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@DisplayName("ListenStats audience on PostgreSQL")
@EnabledIfEnvironmentVariable(named = PostgresDatabase.URL_VARIABLE, matches = ".+",
        disabledReason = PostgresDatabase.NOT_SET)
class PostgresAudienceTest extends AudienceContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new PostgresDatabase();
    }
}
