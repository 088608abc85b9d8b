package io.listenlog.spring.boot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@DisplayName("Starter on PostgreSQL, no Flyway in the application: the library migrates")
@EnabledIfEnvironmentVariable(named = PostgresSchema.URL_VARIABLE, matches = ".+", disabledReason = PostgresSchema.NOT_SET)
@SpringBootTest(classes = RadioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StarterTestProperties.WITHOUT_FLYWAY, StarterTestProperties.SQL_INIT,
                StarterTestProperties.SQL_INIT_SCHEMA})
@DirtiesContext
class PostgresWithoutFlywayTest extends StarterTestBase {

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

    @Override
    String expectedHistoryTable() {
        return "listenlog_schema_history";
    }
}
