package io.listenlog.jdbc.internal;

import io.listenlog.jdbc.internal.SqlFailures.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlFailuresTest {

    @ParameterizedTest(name = "{0} SQLState {1} code {2} is {3}")
    @CsvSource(nullValues = "null", value = {
            "POSTGRESQL, 08006, 0,    TRANSIENT",   // connection failure
            "POSTGRESQL, 40001, 0,    TRANSIENT",   // serialization failure
            "POSTGRESQL, 40P01, 0,    TRANSIENT",   // deadlock
            "POSTGRESQL, 57014, 0,    TRANSIENT",   // statement timeout
            "POSTGRESQL, 57P01, 0,    TRANSIENT",   // terminated by administrator
            "POSTGRESQL, 23503, 0,    REJECTED",    // foreign key violation
            "POSTGRESQL, 23514, 0,    REJECTED",    // check violation
            "POSTGRESQL, 22001, 0,    REJECTED",    // value too long
            "POSTGRESQL, 42P01, 0,    UNEXPECTED",  // undefined table
            "MYSQL,      40001, 1213, TRANSIENT",   // deadlock
            "MYSQL,      HY000, 1205, TRANSIENT",   // lock wait timeout
            "MYSQL,      08000, -1,   TRANSIENT",   // socket error
            "MYSQL,      23000, 1452, REJECTED",    // foreign key violation
            "MYSQL,      42S02, 1146, UNEXPECTED",  // no such table
            "SQLITE,     null,  5,    TRANSIENT",   // SQLITE_BUSY
            "SQLITE,     null,  517,  TRANSIENT",   // SQLITE_BUSY_SNAPSHOT
            "SQLITE,     null,  6,    TRANSIENT",   // SQLITE_LOCKED
            "SQLITE,     null,  19,   REJECTED",    // SQLITE_CONSTRAINT
            "SQLITE,     null,  787,  REJECTED",    // SQLITE_CONSTRAINT_FOREIGNKEY
            "SQLITE,     null,  1,    UNEXPECTED",  // SQLITE_ERROR
    })
    void classifiesBySqlStateAndVendorCode(String vendorName, String sqlState, int code, Kind expected) {
        Vendor vendor = switch (vendorName) {
            case "SQLITE" -> Vendor.SQLITE;
            case "POSTGRESQL" -> Vendor.POSTGRESQL;
            default -> Vendor.MYSQL;
        };
        assertThat(SqlFailures.classify(vendor, new SQLException("boom", sqlState, code)).kind()).isEqualTo(expected);
    }

    @Test
    void vendorCodesOnlyCountForTheirVendor() {
        assertThat(SqlFailures.classify(Vendor.POSTGRESQL, new SQLException("boom", "XX000", 1213)).kind())
                .isEqualTo(Kind.UNEXPECTED);
        assertThat(SqlFailures.classify(Vendor.MYSQL, new SQLException("boom", "HY000", 5)).kind())
                .isEqualTo(Kind.UNEXPECTED);
    }

    @Test
    void aPoolTimeoutIsTransientByItsType() {
        assertThat(SqlFailures.classify(Vendor.POSTGRESQL, new SQLTransientConnectionException("pool timeout")).kind())
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void theServerErrorBehindABatchFailureDecides() {
        SQLException serverError = new SQLException("insert violates foreign key constraint", "23503");
        BatchUpdateException wrapped = new BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        wrapped.setNextException(serverError);

        SqlFailures.Classification classification = SqlFailures.classify(Vendor.POSTGRESQL, wrapped);

        assertThat(classification.kind()).isEqualTo(Kind.REJECTED);
        assertThat((Object) classification.decisive()).isSameAs(serverError);
        assertThat(classification.describe()).contains("foreign key", "23503");
    }
}
