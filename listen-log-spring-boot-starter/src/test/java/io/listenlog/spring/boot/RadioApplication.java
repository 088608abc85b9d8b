package io.listenlog.spring.boot;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The host application of the tests: its own radio_source table (Flyway's V1, or radio-schema.sql) and a stream. */
@SpringBootApplication
public class RadioApplication {

    @RestController
    static class Streams {
        @GetMapping("/listen/{id}")
        String listen(@PathVariable("id") long id) {
            return "audio of source " + id;
        }
    }
}
