package io.listenlog.spring.boot;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.DailyKeyStore;
import io.listenlog.core.GeoLookup;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.geoip.MaxMindGeoLookup;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenStore;
import io.listenlog.dashboard.ListenDashboardServlet;
import io.listenlog.jdbc.AudienceDefinition;
import io.listenlog.jdbc.JdbcDailyKeyStore;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenRetention;
import io.listenlog.jdbc.ListenStats;
import io.listenlog.micrometer.ListenCaptureMetricsBinder;
import io.listenlog.micrometer.ListenLogMetricsBinder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.listenlog.servlet.IcecastListenerServlet;
import io.listenlog.servlet.ListenLogFilter;
import io.listenlog.spring.boot.internal.HostFlyway;
import io.listenlog.spring.boot.internal.InvalidListenLogProperty;
import io.listenlog.spring.boot.internal.ListenLogDatabaseInitializerDetector;
import io.listenlog.spring.boot.internal.ListenLogSchema;
import io.listenlog.spring.boot.internal.MaxMindCredit;
import io.listenlog.spring.boot.internal.RedisStoreConfiguration;
import io.listenlog.spring.boot.internal.RetentionSchedule;
import io.listenlog.spring.boot.internal.Secrets;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Map;
import java.util.regex.Pattern;

import static io.listenlog.spring.boot.internal.Properties.set;

/**
 * listen-log for a Spring Boot application with a {@link DataSource}: the schema, a {@link ListenStore} (the
 * database, or a Redis stream with {@code listenlog.redis.uri}), a {@link ListenLogger} over it with its
 * {@link IpAnonymizer}, the {@link ListenLogFilter} and, when enabled, the {@link IcecastListenerServlet} on servlet
 * applications, {@link ListenStats}, scheduled {@link ListenRetention}, the dashboard, Micrometer meters and a health
 * indicator. Every bean backs off when the application defines its own; {@link ListenLoggerCustomizer} beans change
 * the logger's builder; {@code listenlog.enabled=false} turns it all off. The properties are {@link ListenLogProperties}.
 *
 * <p>The schema step is a database initializer that Spring Boot runs after the application's own (its Flyway, its SQL
 * scripts), and every listen-log bean, the application's included, waits for it.
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
@Import({DatabaseInitializationDependencyConfigurer.class, RedisStoreConfiguration.class})
public class ListenLogAutoConfiguration {

    private static final String FORWARD_HEADERS_STRATEGY = "server.forward-headers-strategy";

    @Bean
    HostFlyway listenLogHostFlyway() {
        return new HostFlyway();
    }

    @Bean(ListenLogDatabaseInitializerDetector.SCHEMA_BEAN)
    @ConditionalOnMissingBean(name = ListenLogDatabaseInitializerDetector.SCHEMA_BEAN)
    ListenLogSchema listenLogSchema(DataSource dataSource, ListenLogProperties properties, HostFlyway hostFlyway) {
        return ListenLogSchema.migrate(dataSource, properties.getMigrations(), hostFlyway);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
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
            throw InvalidListenLogProperty.of(settings.getKey() != null ? "listenlog.anonymizer.key"
                    : IpAnonymizer.SALT_VARIABLE, key, e.getMessage());
        }
    }

    /** The HMAC key the anonymizer uses, or {@code null} for daily rotating keys. */
    private static @Nullable String key(ListenLogProperties.Anonymizer settings, Environment environment) {
        String key = settings.getKey() != null ? settings.getKey() : environment.getProperty(IpAnonymizer.SALT_VARIABLE);
        return switch (settings.getMode()) {
            case AUTO -> key;
            case DAILY -> null;
            case KEY -> {
                if (key == null) {
                    throw InvalidListenLogProperty.of("listenlog.anonymizer.key", null,
                            "listenlog.anonymizer.mode=key needs a key: set listenlog.anonymizer.key or "
                                    + IpAnonymizer.SALT_VARIABLE + " to the output of openssl rand -hex 32");
                }
                yield key;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    ListenStore listenLogStore(DataSource dataSource) {
        return JdbcListenStore.create(dataSource);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ListenLogger listenLogger(ListenStore store, IpAnonymizer anonymizer, ListenLogProperties p,
                              ObjectProvider<ListenLoggerCustomizer> customizers, ObjectProvider<GeoLookup> geoLookup) {
        ListenLogger.Builder builder = ListenLogger.builder().store(store).anonymizer(anonymizer)
                .closeOnShutdown(false);
        set("listenlog.queue-capacity", p.getQueueCapacity(), builder::queueCapacity);
        set("listenlog.batch-size", p.getBatchSize(), builder::batchSize);
        set("listenlog.max-batch-delay", p.getMaxBatchDelay(), builder::maxBatchDelay);
        set("listenlog.overflow-policy", p.getOverflowPolicy(), builder::overflowPolicy);
        set("listenlog.block-timeout", p.getBlockTimeout(), builder::blockTimeout);
        set("listenlog.shutdown-timeout", p.getShutdownTimeout(), builder::shutdownTimeout);
        set("listenlog.max-listen-duration", p.getMaxListenDuration(), builder::maxListenDuration);
        set("listenlog.keep-referrer-query", p.isKeepReferrerQuery(), builder::keepReferrerQuery);
        set("listenlog.max-user-agent-length", p.getMaxUserAgentLength(), builder::maxUserAgentLength);
        set("listenlog.max-referrer-length", p.getMaxReferrerLength(), builder::maxReferrerLength);
        set("listenlog.retry-backoff", p.getRetryBackoff(),
                backoff -> builder.retryBackoff(backoff.getInitial(), backoff.getMax()));
        set("listenlog.privacy-preset", p.getPrivacyPreset(), builder::privacyPreset);
        set("listenlog.listener-identity", p.getListenerIdentity(), builder::listenerIdentity);
        GeoLookup countries = geoLookup.getIfAvailable();
        if (countries != null) {
            builder.geoLookup(countries);
        } else if (p.getCountries().getDatabase() != null) {
            throw InvalidListenLogProperty.of("listenlog.countries.database", p.getCountries().getDatabase(),
                    "looking countries up needs io.listenlog:listen-log-geoip on the classpath: add that dependency");
        }
        ClientClassifier classifier = clientClassifier(p.getClients());
        if (classifier != null) {
            builder.clientClassifier(classifier);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Settings that contradict each other (batchSize > queueCapacity) or a preset: said in property names.
            throw InvalidListenLogProperty.conflict("listenlog.* properties", BUILDER_SETTING.matcher(e.getMessage())
                    .replaceAll(m -> "listenlog." + m.group().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT)));
        }
    }

    /** The OPAWG lists of {@code listenlog.clients.lists} and the rules of {@code listenlog.clients.rules}, if set. */
    private static @Nullable ClientClassifier clientClassifier(ListenLogProperties.Clients clients) {
        Path lists = clients.getLists();
        Path rules = clients.getRules();
        if (lists == null && rules == null) {
            return null;
        }
        ClientClassifier classifier;
        try {
            classifier = lists == null ? ClientClassifier.opawg() : ClientClassifier.opawg(lists);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw InvalidListenLogProperty.of("listenlog.clients.lists", lists, e.getMessage());
        }
        try {
            return rules == null ? classifier : classifier.withRules(rules);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw InvalidListenLogProperty.of("listenlog.clients.rules", rules, e.getMessage());
        }
    }

    /** The logger builder's settings, as its messages name them. */
    private static final Pattern BUILDER_SETTING = Pattern.compile("\\b(queueCapacity|batchSize|maxBatchDelay"
            + "|overflowPolicy|blockTimeout|shutdownTimeout|maxListenDuration|keepReferrerQuery|maxUserAgentLength"
            + "|maxReferrerLength)\\b");

    @Bean
    @ConditionalOnMissingBean
    ListenStats listenLogStats(DataSource dataSource, ListenLogProperties properties) {
        return ListenStats.builder(dataSource).audience(audience(properties)).build();
    }

    /** The one audience definition of stats, retention's roll-ups and the dashboard. */
    private static AudienceDefinition audience(ListenLogProperties properties) {
        Duration minimumListen = properties.getAudience().getMinimumListen();
        try {
            return new AudienceDefinition(minimumListen, properties.getMaxListenDuration());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw InvalidListenLogProperty.of("listenlog.audience.minimum-listen", minimumListen, e.getMessage());
        }
    }

    /** A servlet's path property: it starts with a slash and does not end with one. */
    private static String servletPath(String property, String path, String example) {
        if (path == null || !path.startsWith("/") || path.endsWith("/")) {
            throw InvalidListenLogProperty.of(property, path,
                    "it starts with a slash and does not end with one, for example " + example);
        }
        return path;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "listenlog.retention", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class RetentionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ListenRetention listenLogRetention(DataSource dataSource, ListenLogProperties properties,
                                           Environment environment, ObjectProvider<DailyKeyStore> dailyKeys) {
            ListenLogProperties.Retention settings = properties.getRetention();
            ListenRetention.Builder retention = ListenRetention.builder(dataSource);
            set("listenlog.retention.period", settings.getPeriod(), retention::retention);
            set("listenlog.retention.delete-batch-size", settings.getDeleteBatchSize(), retention::deleteBatchSize);
            set("listenlog.retention.rollup-delay", settings.getRollupDelay(), retention::rollupDelay);
            retention.audience(audience(properties));
            set("listenlog.privacy-preset", properties.getPrivacyPreset(), retention::privacyPreset);
            if (key(properties.getAnonymizer(), environment) == null) {
                set("listenlog.retention.daily-key-grace", settings.getDailyKeyGrace(),
                        grace -> retention.destroyDailyKeys(dailyKeys.getObject(), grace));
            }
            try {
                return retention.build();
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw InvalidListenLogProperty.conflict("listenlog.retention.* properties", e.getMessage());
            }
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RetentionSchedule listenLogRetentionSchedule(ListenRetention retention, ListenLogProperties properties) {
            Duration interval = properties.getRetention().getInterval();
            try {
                return new RetentionSchedule(retention, interval);
            } catch (IllegalArgumentException e) {
                throw InvalidListenLogProperty.of("listenlog.retention.interval", interval, e.getMessage());
            }
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
            ListenLogProperties.Filter settings = properties.getFilter();
            ListenLogFilter.Builder filter = ListenLogFilter.builder(logger);
            set("listenlog.filter.count-on", settings.getCountOn(), filter::countOn);
            set("listenlog.filter.path-prefix", settings.getPathPrefix(), filter::pathPrefix);
            set("listenlog.filter.token-key", settings.getTokenKey(), filter::tokenKey);
            set("listenlog.filter.stream-prefix", settings.getStreamPrefix(), filter::streamPrefix);
            set("listenlog.filter.hls-prefix", settings.getHlsPrefix(), filter::hlsPrefix);
            set("listenlog.filter.download-prefix", settings.getDownloadPrefix(), filter::downloadPrefix);
            set("listenlog.filter.download-minimum-bytes", settings.getDownloadMinimumBytes(),
                    filter::downloadMinimumBytes);
            set("listenlog.filter.progress-interval", settings.getProgressInterval(), filter::progressInterval);
            if (!properties.getTrustedProxies().isEmpty()) {
                String strategy = environment.getProperty(FORWARD_HEADERS_STRATEGY, "none").toLowerCase(Locale.ROOT);
                if (!strategy.equals("none")) {
                    throw InvalidListenLogProperty.of("listenlog.trusted-proxies", properties.getTrustedProxies(),
                            FORWARD_HEADERS_STRATEGY + "=" + strategy + " already resolves the client address from the"
                            + " proxy headers: remove listenlog.trusted-proxies, or set " + FORWARD_HEADERS_STRATEGY
                            + "=none to let listen-log read them");
                }
                set("listenlog.trusted-proxies", properties.getTrustedProxies().toArray(String[]::new),
                        filter::trustedProxies);
            }
            List<String> patterns = new ArrayList<>(List.of(settings.getPathPrefix() + "*"));
            if (settings.getStreamPrefix() != null) {
                patterns.add(settings.getStreamPrefix() + "*");
            }
            if (settings.getHlsPrefix() != null) {
                patterns.add(settings.getHlsPrefix() + "*");
            }
            if (settings.getDownloadPrefix() != null) {
                patterns.add(settings.getDownloadPrefix() + "*");
            }
            ListenLogFilter built;
            try {
                built = filter.build();
            } catch (IllegalArgumentException e) {  // the builder checks the token key only when it builds
                throw InvalidListenLogProperty.of("listenlog.filter.token-key", null, e.getMessage());
            }
            FilterRegistrationBean<ListenLogFilter> registration = new FilterRegistrationBean<>(built);
            registration.setUrlPatterns(patterns);
            registration.setAsyncSupported(true);
            registration.setName("listenLogFilter");
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({IcecastListenerServlet.class, ServletRegistrationBean.class})
    @ConditionalOnProperty(prefix = "listenlog.icecast", name = "enabled", havingValue = "true")
    static class IcecastConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "listenLogIcecast")
        ServletRegistrationBean<IcecastListenerServlet> listenLogIcecast(ListenLogger logger,
                                                                          ListenLogProperties properties) {
            ListenLogProperties.Icecast settings = properties.getIcecast();
            IcecastListenerServlet.Builder icecast = IcecastListenerServlet.builder(logger)
                    .admitUnknownMounts(settings.isAdmitUnknownMounts());
            for (Map.Entry<String, Long> mount : settings.getMounts().entrySet()) {
                set("listenlog.icecast.mounts[" + mount.getKey() + "]", mount.getValue(),
                        id -> icecast.mount(mount.getKey(), id));
            }
            set("listenlog.icecast.addresses", settings.getAddresses().toArray(String[]::new),
                    icecast::icecastAddresses);
            if (settings.getMounts().isEmpty()) {
                throw InvalidListenLogProperty.of("listenlog.icecast.mounts", null, "the Icecast callbacks need the"
                        + " mounts and their source ids: listenlog.icecast.mounts[/radio1]=1");
            }
            String path = servletPath("listenlog.icecast.path", settings.getPath(), "/icecast");
            ServletRegistrationBean<IcecastListenerServlet> registration =
                    new ServletRegistrationBean<>(icecast.build(), path);
            registration.setName("listenLogIcecast");
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
        ServletRegistrationBean<ListenDashboardServlet> listenLogDashboard(ListenStats stats,
                                                                            ListenLogProperties properties,
                                                                            ObjectProvider<GeoLookup> geoLookup) {
            ListenLogProperties.Dashboard settings = properties.getDashboard();
            ListenDashboardServlet.Builder dashboard = ListenDashboardServlet.builder(stats).title(settings.getTitle());
            String credit = settings.getCountriesCredit();
            if (credit == null && ClassUtils.isPresent("io.listenlog.geoip.MaxMindGeoLookup", null)) {
                credit = MaxMindCredit.of(geoLookup.getIfAvailable());
            }
            if (credit != null) {
                dashboard.countriesCredit(credit);
            }
            String role = settings.getRole();
            if (role != null && !role.isBlank()) {
                dashboard.access(request -> request.isUserInRole(role));
            } else if (settings.isPublicAccess()) {
                dashboard.publicAccess();
            } else {
                throw InvalidListenLogProperty.of("listenlog.dashboard.role", null, "the dashboard"
                        + " shows business data: set listenlog.dashboard.role to the role that may see it, or"
                        + " listenlog.dashboard.public-access=true to show it to anybody, or register your own"
                        + " ServletRegistrationBean named listenLogDashboard");
            }
            String path = servletPath("listenlog.dashboard.path", settings.getPath(), "/stats");
            ServletRegistrationBean<ListenDashboardServlet> registration =
                    new ServletRegistrationBean<>(dashboard.build(), path + "/*");
            registration.setName("listenLogDashboard");
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.listenlog.geoip.MaxMindGeoLookup")
    @ConditionalOnProperty(prefix = "listenlog.countries", name = "database")
    static class CountriesConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(GeoLookup.class)
        MaxMindGeoLookup listenLogGeoLookup(ListenLogProperties properties) {
            Path database = Objects.requireNonNull(properties.getCountries().getDatabase());
            try {
                return MaxMindGeoLookup.open(database);
            } catch (IllegalArgumentException e) {
                throw InvalidListenLogProperty.of("listenlog.countries.database", database, e.getMessage());
            }
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

        /**
         * The player reports of the starter's filter and the Icecast callbacks' figures, for those that are
         * registered; Spring Boot binds meter binders once every bean exists.
         */
        @Bean
        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
        MeterBinder listenLogCaptureMetrics(ApplicationContext context) {
            return registry -> {
                ListenLogFilter filter = context.containsBean("listenLogFilter")
                        && context.getBean("listenLogFilter") instanceof FilterRegistrationBean<?> registration
                        && registration.getFilter() instanceof ListenLogFilter own ? own : null;
                IcecastListenerServlet icecast = context.containsBean("listenLogIcecast")
                        && context.getBean("listenLogIcecast") instanceof ServletRegistrationBean<?> registration
                        && registration.getServlet() instanceof IcecastListenerServlet own ? own : null;
                if (filter != null || icecast != null) {
                    new ListenCaptureMetricsBinder(filter, icecast, Tags.empty()).bindTo(registry);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    @ConditionalOnEnabledHealthIndicator("listenlog")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "listenLogHealthIndicator")
        ListenLogHealthIndicator listenLogHealthIndicator(ListenLogger logger, ListenLogProperties properties) {
            try {
                return new ListenLogHealthIndicator(logger, properties.getHealth().getFailingThreshold());
            } catch (IllegalArgumentException e) {
                throw InvalidListenLogProperty.of("listenlog.health.failing-threshold",
                        properties.getHealth().getFailingThreshold(), e.getMessage());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class ActuatorConfiguration {

        /** Masks listen-log's secrets in /actuator/env and /actuator/configprops, whatever show-values says. */
        @Bean
        SanitizingFunction listenLogSecrets() {
            return SanitizingFunction.sanitizeValue().ifMatches(data -> Secrets.isSecret(data.getKey()));
        }
    }
}
