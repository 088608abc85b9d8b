package io.listenlog.jdbc.internal;

import java.sql.Connection;

/**
 * PostgreSQL with a {@code listen_event} partitioned by month: its unique index holds {@code occurred_at} too, so a
 * batch is copied only after reading which listen ids are stored.
 */
final class PostgresPartitionedDialect extends PostgresDialect {

    PostgresPartitionedDialect() {
        super("PostgreSQL", "classpath:db/listenlog/postgresql_partitioned");
    }

    @Override
    public EventInserts inserts(Connection connection) {
        return EventInserts.readingStored(this, PostgresCopy.supports(connection));
    }

    @Override
    public boolean partitionedByMonth() {
        return true;
    }
}
