package io.listenlog.spring.boot;

import org.junit.jupiter.api.DisplayName;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

@DisplayName("Starter on SQLite, no Flyway in the application: the library migrates")
@SpringBootTest(classes = RadioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {StarterTestProperties.WITHOUT_FLYWAY, StarterTestProperties.SQL_INIT,
                StarterTestProperties.SQL_INIT_SCHEMA})
@Import(SqliteDatabase.class)
class SqliteWithoutFlywayTest extends StarterTestBase {

    @Override
    String expectedHistoryTable() {
        return "listenlog_schema_history";
    }
}
