package io.listenlog.spring.boot;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

@DisplayName("Starter on PostgreSQL, no Flyway in the application: the library migrates")
@EnabledIfEnvironmentVariable(named = PostgresSchema.URL_VARIABLE, matches = ".+", disabledReason = PostgresSchema.NOT_SET)
@SpringBootTest(classes = RadioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StarterTestProperties.WITHOUT_FLYWAY, StarterTestProperties.SQL_INIT,
                StarterTestProperties.SQL_INIT_SCHEMA})
@DirtiesContext
class PostgresWithoutFlywayTest extends PostgresStarterTestBase {

    @Override
    String expectedHistoryTable() {
        return "listenlog_schema_history";
    }
}
