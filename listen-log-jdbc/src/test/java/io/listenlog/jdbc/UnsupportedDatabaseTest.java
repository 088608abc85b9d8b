package io.listenlog.jdbc;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsupportedDatabaseTest {

    /** A data source whose connections say they belong to {@code product}, and can do nothing else. */
    private static DataSource reportingProduct(String product) {
        DatabaseMetaData metaData = stub(DatabaseMetaData.class, "getDatabaseProductName", product);
        Connection connection = stub(Connection.class, "getMetaData", metaData);
        return stub(DataSource.class, "getConnection", connection);
    }

    private static <T> T stub(Class<T> type, String method, Object result) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, m, args) -> {
            if (m.getName().equals(method)) {
                return result;
            }
            if (m.getName().equals("close")) {
                return null;
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }

    @Test
    void storeNamesTheSupportedDatabases() {
        assertThatThrownBy(() -> JdbcListenStore.create(reportingProduct("Apache Derby")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SQLite, PostgreSQL, MariaDB and MySQL")
                .hasMessageContaining("Apache Derby");
    }

    @Test
    void migrationsNameTheSupportedDatabases() {
        assertThatThrownBy(() -> ListenLogMigrations.migrate(reportingProduct("H2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SQLite, PostgreSQL, MariaDB and MySQL")
                .hasMessageContaining("'H2'");
        assertThatThrownBy(() -> ListenLogMigrations.location(reportingProduct("Oracle")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Oracle'");
    }
}
