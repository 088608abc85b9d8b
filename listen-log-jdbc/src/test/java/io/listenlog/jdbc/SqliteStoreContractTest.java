package io.listenlog.jdbc;

import org.junit.jupiter.api.DisplayName;

@DisplayName("ListenStore contract: JdbcListenStore on SQLite")

class SqliteStoreContractTest extends JdbcStoreContract {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new SqliteDatabase();
    }
}
