package io.listenlog.example;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host's own table of stations, which listen-log's migration extends with {@code listen_count}. */
final class Stations {
    record Station(long id, String name, String streamUrl, long listenCount) {
    }

    private static final List<Station> DEMO = List.of(
            new Station(1, "Groove Salad", "https://ice1.somafm.com/groovesalad-128-mp3", 0),
            new Station(2, "Drone Zone", "https://ice1.somafm.com/dronezone-128-mp3", 0),
            new Station(3, "Secret Agent", "https://ice1.somafm.com/secretagent-128-mp3", 0),
            new Station(4, "Left Coast 70s", "https://ice1.somafm.com/seventies-128-mp3", 0));

    private static final String SELECT = "SELECT id, name, stream_url, listen_count FROM radio_source";

    private final DataSource dataSource;

    Stations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The host's "V1": its own table, created before listen-log's migration runs. */
    void createAndSeed() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS radio_source ("
                    + "id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, stream_url VARCHAR(500) NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM radio_source")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO radio_source (id, name, stream_url) VALUES (?, ?, ?)")) {
                for (Station station : DEMO) {
                    insert.setLong(1, station.id());
                    insert.setString(2, station.name());
                    insert.setString(3, station.streamUrl());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    List<Station> all() throws SQLException {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(SELECT + " ORDER BY id")) {
            List<Station> stations = new ArrayList<>();
            while (rs.next()) {
                stations.add(station(rs));
            }
            return stations;
        }
    }

    Optional<Station> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(SELECT + " WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(station(rs)) : Optional.empty();
            }
        }
    }

    private static Station station(ResultSet row) throws SQLException {
        return new Station(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4));
    }
}
