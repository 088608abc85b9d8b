package com.example.station;

import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.servlet.ListenLogFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * A station as a host writes it from docs/spring-boot.md: a player page per source that prints its listen token, on
 * the default playback counting, on SQLite ({@code station.sqlite-file}) or on {@code spring.datasource.url}.
 */
@SpringBootApplication
public class StationApplication {

    @RestController
    static class PlayerPages {
        @GetMapping("/listen/{id}")
        String page(@PathVariable("id") long id, HttpServletRequest request) {
            return String.valueOf(request.getAttribute(ListenLogFilter.LISTEN_TOKEN_ATTRIBUTE));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty("station.sqlite-file")
    static class SqliteFile {
        @Bean(destroyMethod = "close")
        DataSource dataSource(org.springframework.core.env.Environment environment) {
            return ListenLogDataSources.sqlite(Path.of(environment.getRequiredProperty("station.sqlite-file")));
        }
    }
}
