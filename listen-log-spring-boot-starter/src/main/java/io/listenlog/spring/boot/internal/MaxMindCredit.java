package io.listenlog.spring.boot.internal;

import io.listenlog.core.GeoLookup;
import io.listenlog.geoip.MaxMindGeoLookup;
import org.jspecify.annotations.Nullable;

/** Apart, so that the dashboard's configuration loads listen-log-geoip's class only when it is there. */
public final class MaxMindCredit {
    private MaxMindCredit() {
    }

    /** The credit the lookup's database licence asks for, or {@code null} for another lookup or none. */
    public static @Nullable String of(@Nullable GeoLookup lookup) {
        return lookup instanceof MaxMindGeoLookup maxMind ? maxMind.attribution() : null;
    }
}
