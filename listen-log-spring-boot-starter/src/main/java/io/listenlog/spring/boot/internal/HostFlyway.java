package io.listenlog.spring.boot.internal;

import io.listenlog.jdbc.ListenLogMigrations;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** Whether the application's own Spring Boot Flyway took the listen-log migrations, so the library's runner stays out. */
public final class HostFlyway {
    private final AtomicBoolean migratesListenLog = new AtomicBoolean();

    /** Adds the listen-log location for the configured database to the application's Flyway locations. */
    public void addListenLogLocation(FluentConfiguration configuration) {
        String location = ListenLogMigrations.location(configuration.getDataSource());
        configuration.locations(Stream.concat(Arrays.stream(configuration.getLocations()), Stream.of(new Location(location)))
                .toArray(Location[]::new));
        migratesListenLog.set(true);
    }

    boolean migratesListenLog() {
        return migratesListenLog.get();
    }
}
