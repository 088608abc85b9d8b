package io.listenlog.jdbc;

import io.listenlog.core.PrivacyPreset;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPrivacyPresetTest extends DatabaseTest {

    @Override
    IsolatedDatabase createDatabase() throws Exception {
        return new SqliteDatabase();
    }

    @Test
    void theCnilPresetAllowsAtMostTwentyFiveMonthsOfRawEvents() {
        migrated();
        ListenRetention.Builder builder = ListenRetention.builder(dataSource())
                .privacyPreset(PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT);

        assertThat(builder.retention(Duration.ofDays(760)).build()).isNotNull();
        assertThat(builder.retention(Duration.ofDays(90)).build()).isNotNull();
        assertThatThrownBy(() -> builder.retention(Duration.ofDays(761)).build())
                .hasMessage("the CNIL_AUDIENCE_MEASUREMENT preset keeps raw events at most 25 months: set retention"
                        + " to at most 760 days, not 761 days");
        assertThat(ListenRetention.builder(dataSource()).retention(Duration.ofDays(3650)).build())
                .as("no preset, no limit").isNotNull();
    }
}
