package io.listenlog.spring.boot;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenStoreException;
import io.listenlog.dashboard.ListenDashboardServlet;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.micrometer.ListenLogMetricsBinder;
import org.junit.jupiter.api.Test;
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
                .hasStackTraceContaining("Invalid listenlog.* properties: listenlog.batch-size 20000 exceeds "
                        + "listenlog.queue-capacity"));
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
