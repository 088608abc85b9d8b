package com.example.ownbeans;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenStore;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.servlet.ListenLogFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * A host that builds its own store, logger and filter, as docs/spring-boot.md allows, with no annotation: they are
 * listen-log types, so they wait for the database initialization (the host's and listen-log's migrations).
 */
@SpringBootApplication
public class OwnBeansApplication {

    @Bean
    ListenStore myStore(DataSource dataSource) {
        return JdbcListenStore.create(dataSource);
    }

    @Bean(destroyMethod = "close")
    ListenLogger myLogger(ListenStore myStore) {
        return ListenLogger.builder().store(myStore)
                .anonymizer(IpAnonymizer.hmacSha256("9f86d081884c7d659a2feaa0c55ad015")).closeOnShutdown(false).build();
    }

    @Bean
    FilterRegistrationBean<ListenLogFilter> listenLogFilter(ListenLogger myLogger) {
        FilterRegistrationBean<ListenLogFilter> filter = new FilterRegistrationBean<>(ListenLogFilter.builder(myLogger)
                .countOn(ListenLogFilter.CountOn.PAGE_VIEW).build());
        filter.addUrlPatterns("/listen/*");
        return filter;
    }

    @RestController
    static class Streams {
        @GetMapping("/listen/{id}")
        String listen(@PathVariable("id") long id) {
            return "audio of source " + id;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty("own.sqlite-file")
    static class SqliteFile {
        @Bean(destroyMethod = "close")
        DataSource dataSource(Environment environment) {
            return ListenLogDataSources.sqlite(Path.of(environment.getRequiredProperty("own.sqlite-file")));
        }
    }
}
