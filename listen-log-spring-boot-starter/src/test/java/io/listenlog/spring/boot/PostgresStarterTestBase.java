package io.listenlog.spring.boot;

import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A starter test on a fresh PostgreSQL schema, dropped after the class. */
abstract class PostgresStarterTestBase extends StarterTestBase {

    private static PostgresSchema schema;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        schema = new PostgresSchema();
        registry.add("spring.datasource.url", schema::url);
    }

    @AfterAll
    static void dropSchema() {
        schema.drop();
    }
}
