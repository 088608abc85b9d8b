package io.listenlog.jdbc;

import io.listenlog.core.ListenStore;
import io.listenlog.testsupport.ListenStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

/** The published {@link ListenStoreContract}, run by {@link JdbcListenStore} on each database. */
abstract class JdbcStoreContract extends ListenStoreContract {

    private final DatabaseTest database = new DatabaseTest() {
        @Override
        IsolatedDatabase createDatabase() throws Exception {
            return JdbcStoreContract.this.createDatabase();
        }
    };
    private FaultInjectingDataSource faulty;

    abstract IsolatedDatabase createDatabase() throws Exception;

    /** The host's schema and listen-log's; a database with another migration set overrides it. */
    void migrate(DatabaseTest database) {
        database.migrated();
    }

    @BeforeEach
    void openDatabase() throws Exception {
        database.openDatabase();
        migrate(database);
        faulty = new FaultInjectingDataSource(database.dataSource());
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.dropDatabase();
    }

    @Override
    protected ListenStore newStore() {
        return JdbcListenStore.create(faulty.dataSource());
    }

    @Override
    protected Map<Long, Long> storedPlays() {
        return database.longs("SELECT source_id, COUNT(*) FROM listen_event GROUP BY source_id");
    }

    @Override
    protected Map<Long, Long> countedPlays() {
        return database.listenCounts();
    }

    @Override
    protected void backendReachable(boolean reachable) {
        faulty.unreachable(!reachable);
    }
}
