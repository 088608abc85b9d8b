package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("ListenStats audience on SQLite")
class SqliteAudienceTest extends AudienceContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new SqliteDatabase();
    }
}
