package io.listenlog.spring.boot;

/** Properties that make a test host one without Spring Boot's Flyway, creating radio_source with a SQL script. */
final class StarterTestProperties {
    static final String WITHOUT_FLYWAY =
            "spring.autoconfigure.exclude=org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";
    static final String SQL_INIT = "spring.sql.init.mode=always";
    static final String SQL_INIT_SCHEMA = "spring.sql.init.schema-locations=classpath:radio-schema.sql";

    private StarterTestProperties() {
    }
}
