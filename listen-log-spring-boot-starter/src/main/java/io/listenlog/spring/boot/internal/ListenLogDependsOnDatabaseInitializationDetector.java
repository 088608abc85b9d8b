package io.listenlog.spring.boot.internal;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenStore;
import io.listenlog.jdbc.ListenRetention;
import io.listenlog.jdbc.ListenStats;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

import java.util.Set;

/**
 * The listen-log beans that need the schema, the application's own included (a {@code ListenLogger} or store it
 * builds checks the schema's version at once): each waits for database initialization, listen-log's migration last.
 */
public final class ListenLogDependsOnDatabaseInitializationDetector
        extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(ListenLogger.class, ListenStore.class, DailyKeyStore.class, IpAnonymizer.class,
                ListenStats.class, ListenRetention.class, RetentionSchedule.class);
    }
}
