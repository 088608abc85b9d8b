package io.listenlog.spring.boot;

import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.dashboard.ListenDashboardServlet;
import io.listenlog.jdbc.JdbcDailyKeyStore;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenRetention;
import io.listenlog.jdbc.ListenStats;
import io.listenlog.micrometer.ListenLogMetricsBinder;
import io.listenlog.servlet.ListenLogFilter;
import io.listenlog.spring.boot.internal.HostFlyway;
import io.listenlog.spring.boot.internal.ListenLogSchema;
import io.listenlog.spring.boot.internal.RetentionSchedule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * listen-log for a Spring Boot application with a {@link DataSource}: the schema, a {@link ListenLogger} writing
 * through a {@link JdbcListenStore}, its {@link IpAnonymizer}, the {@link ListenLogFilter} on servlet applications,
 * scheduled {@link ListenRetention}, Micrometer meters and a health indicator. Every bean backs off when the
 * application defines its own; {@code listenlog.enabled=false} turns it all off. The properties are
 * {@link ListenLogProperties}.
 *
 * <p>Shutdown runs in Spring's order: the web server stops taking requests (its lifecycle stops first), then the
 * logger drains within {@code listenlog.shutdown-timeout}, then the {@code DataSource} closes, because the logger
 * depends on it. The logger registers no JVM shutdown hook of its own.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ListenLogger.class, JdbcListenStore.class})
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "listenlog", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ListenLogProperties.class)
public class ListenLogAutoConfiguration {

    private static final String FORWARD_HEADERS_STRATEGY = "server.forward-headers-strategy";

    @Bean
    HostFlyway listenLogHostFlyway() {
        return new HostFlyway();
    }

    @Bean
    @DependsOnDatabaseInitialization
    ListenLogSchema listenLogSchema(DataSource dataSource, ListenLogProperties properties, HostFlyway hostFlyway) {
        return ListenLogSchema.migrate(dataSource, properties.getMigrations(), hostFlyway);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    @DependsOn("listenLogSchema")
    DailyKeyStore listenLogDailyKeys(DataSource dataSource) {
        return JdbcDailyKeyStore.create(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    IpAnonymizer listenLogAnonymizer(ListenLogProperties properties, Environment environment,
                                     ObjectProvider<DailyKeyStore> dailyKeys) {
        ListenLogProperties.Anonymizer settings = properties.getAnonymizer();
        String key = key(settings, environment);
        if (key == null) {
            return IpAnonymizer.dailyRotating(dailyKeys.getObject(), settings.getPrecision(),
                    properties.getRetention().getDailyKeyGrace(), Clock.systemUTC());
        }
        try {
            return IpAnonymizer.hmacSha256(key, settings.getPrecision());
        } catch (IllegalArgumentException e) {
            // Never echo the key itself.
            throw new InvalidConfigurationPropertyValueException("listenlog.anonymizer.key", "(hidden)", e.getMessage());
        }
    }

    /** The HMAC key the anonymizer uses, or {@code null} for daily rotating keys. */
    private static String key(ListenLogProperties.Anonymizer settings, Environment environment) {
        String key = settings.getKey() != null ? settings.getKey() : environment.getProperty(IpAnonymizer.SALT_VARIABLE);
        return switch (settings.getMode()) {
            case AUTO -> key;
            case DAILY -> null;
            case KEY -> {
                if (key == null) {
                    throw new InvalidConfigurationPropertyValueException("listenlog.anonymizer.key", null,
                            "listenlog.anonymizer.mode=key needs a key: set listenlog.anonymizer.key or "
                                    + IpAnonymizer.SALT_VARIABLE + " to the output of openssl rand -hex 32");
                }
                yield key;
            }
        };
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOn("listenLogSchema")
    ListenLogger listenLogger(DataSource dataSource, IpAnonymizer anonymizer, ListenLogProperties p) {
        ListenLogger.Builder builder = ListenLogger.builder()
                .store(JdbcListenStore.create(dataSource))
                .anonymizer(anonymizer)
                .closeOnShutdown(false);
        set("listenlog.queue-capacity", p.getQueueCapacity(), builder::queueCapacity);
        set("listenlog.batch-size", p.getBatchSize(), builder::batchSize);
        set("listenlog.max-batch-delay", p.getMaxBatchDelay(), builder::maxBatchDelay);
        set("listenlog.overflow-policy", p.getOverflowPolicy(), builder::overflowPolicy);
        set("listenlog.block-timeout", p.getBlockTimeout(), builder::blockTimeout);
        set("listenlog.shutdown-timeout", p.getShutdownTimeout(), builder::shutdownTimeout);
        set("listenlog.max-listen-duration", p.getMaxListenDuration(), builder::maxListenDuration);
        set("listenlog.keep-referrer-query", p.getKeepReferrerQuery(), builder::keepReferrerQuery);
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            // Settings that contradict each other (batchSize > queueCapacity): say it in property names.
            throw new IllegalStateException("Invalid listenlog.* properties: "
                    + BUILDER_SETTING.matcher(e.getMessage()).replaceAll(m -> "listenlog." + kebab(m.group())), e);
        }
    }

    private static final Pattern BUILDER_SETTING = Pattern.compile(
            "\\b(queueCapacity|batchSize|maxBatchDelay|overflowPolicy|blockTimeout|shutdownTimeout|maxListenDuration"
                    + "|keepReferrerQuery)\\b");

    private static String kebab(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "listenlog.retention", name = "enabled", havingValue = "true", matchIfMissing = true)
    @DependsOn("listenLogSchema")
    RetentionSchedule listenLogRetention(DataSource dataSource, ListenLogProperties properties, Environment environment,
                                         ObjectProvider<DailyKeyStore> dailyKeys) {
        ListenLogProperties.Retention settings = properties.getRetention();
        ListenRetention.Builder retention = ListenRetention.builder(dataSource);
        set("listenlog.retention.period", settings.getPeriod(), retention::retention);
        if (key(properties.getAnonymizer(), environment) == null) {
            set("listenlog.retention.daily-key-grace", settings.getDailyKeyGrace(),
                    grace -> retention.destroyDailyKeys(dailyKeys.getObject(), grace));
        }
        ListenRetention built = retention.build();
        try {
            return new RetentionSchedule(built, settings.getInterval());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("listenlog.retention.interval", settings.getInterval(),
                    e.getMessage());
        }
    }

    /** Applies a property to a builder, reporting a value the builder refuses under the property's name. */
    private static <T> void set(String property, T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(FlywayConfigurationCustomizer.class)
    static class HostFlywayConfiguration {

        @Bean
        FlywayConfigurationCustomizer listenLogFlywayLocation(ListenLogProperties properties, HostFlyway hostFlyway) {
            return configuration -> {
                if (properties.getMigrations() == ListenLogProperties.MigrationMode.AUTO) {
                    hostFlyway.addListenLogLocation(configuration);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({ListenLogFilter.class, FilterRegistrationBean.class})
    @ConditionalOnProperty(prefix = "listenlog.filter", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class FilterConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "listenLogFilter")
        FilterRegistrationBean<ListenLogFilter> listenLogFilter(ListenLogger logger, ListenLogProperties properties,
                                                                Environment environment) {
            ListenLogFilter.Builder filter = ListenLogFilter.builder(logger).countOn(properties.getFilter().getCountOn());
            if (properties.getMaxListenDuration() != null) {
                filter.maxListenDuration(properties.getMaxListenDuration());
            }
            String prefix = properties.getFilter().getPathPrefix();
            set("listenlog.filter.path-prefix", prefix, filter::pathPrefix);
            if (!properties.getTrustedProxies().isEmpty()) {
                String strategy = environment.getProperty(FORWARD_HEADERS_STRATEGY, "none").toLowerCase(Locale.ROOT);
                if (!strategy.equals("none")) {
                    throw new InvalidConfigurationPropertyValueException("listenlog.trusted-proxies",
                            properties.getTrustedProxies(), FORWARD_HEADERS_STRATEGY + "=" + strategy + " already "
                            + "resolves the client address from the proxy headers: remove listenlog.trusted-proxies, or "
                            + "set " + FORWARD_HEADERS_STRATEGY + "=none to let listen-log read them");
                }
                set("listenlog.trusted-proxies", properties.getTrustedProxies().toArray(String[]::new),
                        filter::trustedProxies);
            }
            FilterRegistrationBean<ListenLogFilter> registration = new FilterRegistrationBean<>(filter.build());
            registration.addUrlPatterns(prefix + "*");
            registration.setAsyncSupported(true);
            registration.setName("listenLogFilter");
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"io.listenlog.dashboard.ListenDashboardServlet",
            "org.springframework.boot.web.servlet.ServletRegistrationBean"})
    @ConditionalOnProperty(prefix = "listenlog.dashboard", name = "enabled", havingValue = "true")
    static class DashboardConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "listenLogDashboard")
        @DependsOn("listenLogSchema")
        ServletRegistrationBean<ListenDashboardServlet> listenLogDashboard(DataSource dataSource,
                                                                            ListenLogProperties properties) {
            ListenLogProperties.Dashboard settings = properties.getDashboard();
            ListenDashboardServlet.Builder dashboard = ListenDashboardServlet.builder(ListenStats.create(dataSource))
                    .title(settings.getTitle());
            String role = settings.getRole();
            if (role != null && !role.isBlank()) {
                dashboard.access(request -> request.isUserInRole(role));
            } else if (settings.isPublicAccess()) {
                dashboard.publicAccess();
            } else {
                throw new InvalidConfigurationPropertyValueException("listenlog.dashboard.role", null, "the dashboard"
                        + " shows business data: set listenlog.dashboard.role to the role that may see it, or"
                        + " listenlog.dashboard.public-access=true to show it to anybody, or register your own"
                        + " ServletRegistrationBean named listenLogDashboard");
            }
            String path = settings.getPath();
            if (path == null || !path.startsWith("/") || path.endsWith("/")) {
                throw new InvalidConfigurationPropertyValueException("listenlog.dashboard.path", path,
                        "it starts with a slash and does not end with one, for example /stats");
            }
            ServletRegistrationBean<ListenDashboardServlet> registration =
                    new ServletRegistrationBean<>(dashboard.build(), path + "/*");
            registration.setName("listenLogDashboard");
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder",
            "io.listenlog.micrometer.ListenLogMetricsBinder"})
    static class MetricsConfiguration {

        /** Spring Boot binds every {@code MeterBinder} bean to the application's registries. */
        @Bean
        @ConditionalOnMissingBean
        ListenLogMetricsBinder listenLogMetricsBinder(ListenLogger logger) {
            return new ListenLogMetricsBinder(logger);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnProperty(prefix = "management.health.listenlog", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "listenLogHealthIndicator")
        ListenLogHealthIndicator listenLogHealthIndicator(ListenLogger logger, ListenLogProperties properties) {
            try {
                return new ListenLogHealthIndicator(logger, properties.getHealth().getFailingThreshold());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("listenlog.health.failing-threshold",
                        properties.getHealth().getFailingThreshold(), e.getMessage());
            }
        }
    }
}
