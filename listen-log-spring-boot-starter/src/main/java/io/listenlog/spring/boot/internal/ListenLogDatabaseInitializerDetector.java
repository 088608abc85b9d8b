package io.listenlog.spring.boot.internal;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;
import org.springframework.core.Ordered;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Makes listen-log's schema step a database initializer, so that Spring Boot orders it after the application's own
 * (Flyway, SQL scripts: listen-log's migration extends their {@code radio_source}) and makes every bean that depends
 * on database initialization wait for it. The step is the starter's {@link ListenLogSchema} or the application's
 * bean named {@value #SCHEMA_BEAN}.
 */
public final class ListenLogDatabaseInitializerDetector implements DatabaseInitializerDetector {
    public static final String SCHEMA_BEAN = "listenLogSchema";

    @Override
    public Set<String> detect(ConfigurableListableBeanFactory beanFactory) {
        Set<String> names = new LinkedHashSet<>(Arrays.asList(beanFactory.getBeanNamesForType(ListenLogSchema.class,
                true, false)));
        if (beanFactory.containsBeanDefinition(SCHEMA_BEAN)) {
            names.add(SCHEMA_BEAN);
        }
        return names;
    }

    /** After every other initializer, the application's script initializer included. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
