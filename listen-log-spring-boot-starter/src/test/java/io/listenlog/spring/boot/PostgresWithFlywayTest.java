package io.listenlog.spring.boot;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

@DisplayName("Starter on PostgreSQL, migrated by the application's Flyway")
@EnabledIfEnvironmentVariable(named = PostgresSchema.URL_VARIABLE, matches = ".+", disabledReason = PostgresSchema.NOT_SET)
@SpringBootTest(classes = RadioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresWithFlywayTest extends PostgresStarterTestBase {

    @Override
    String expectedHistoryTable() {
        return "flyway_schema_history";
    }
}
