/** listen-log's JDBC store, migrations, retention and stats for SQLite, PostgreSQL and MariaDB/MySQL. */
module io.listenlog.jdbc {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires flyway.core;
    // DataSketches ships no module descriptor yet: this is the name the module system derives from its jar.
    requires datasketches.java;
    requires static transitive com.zaxxer.hikari;  // ListenLogDataSources.sqlite returns a HikariDataSource
    requires static org.xerial.sqlitejdbc;
    requires static org.postgresql.jdbc;

    exports io.listenlog.jdbc;
    // Flyway reads the migrations as resources; a named module hides them unless their packages are open.
    opens db.listenlog.sqlite;
    opens db.listenlog.postgresql;
    opens db.listenlog.postgresql_partitioned;
    opens db.listenlog.mysql;
}
