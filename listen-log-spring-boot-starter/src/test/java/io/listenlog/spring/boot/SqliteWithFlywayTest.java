package io.listenlog.spring.boot;

import org.junit.jupiter.api.DisplayName;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

@DisplayName("Starter on SQLite, migrated by the application's Flyway")
@SpringBootTest(classes = RadioApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(SqliteDatabase.class)
class SqliteWithFlywayTest extends StarterTestBase {

    @Override
    String expectedHistoryTable() {
        return "flyway_schema_history";
    }
}
