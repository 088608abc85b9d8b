package com.example.quickstart;

import io.listenlog.jdbc.ListenLogDataSources;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.nio.file.Path;

@SpringBootApplication
public class BootRadio {

    public static void main(String[] args) {
        SpringApplication.run(BootRadio.class, args);
    }

    /** SQLite through listen-log's pool (WAL, one writer, a busy timeout); on PostgreSQL use spring.datasource.url. */
    @Bean(destroyMethod = "close")
    DataSource dataSource(@Value("${radio.database:radio.db}") Path file) {
        return ListenLogDataSources.sqlite(file);
    }

    /** Stands in for the real stream or player page. */
    @RestController
    static class Streams {
        @GetMapping("/listen/{id}")
        String listen(@PathVariable("id") long id) {
            return "now playing " + id;
        }
    }
}
