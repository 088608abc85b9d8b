package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("ListenStats, ListenRetention and JdbcDailyKeyStore on SQLite (temporary file)")
class SqliteListenStatsTest extends ListenStatsContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new SqliteDatabase();
    }
}
