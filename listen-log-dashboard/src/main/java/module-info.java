/** listen-log's audience dashboard: a servlet the host mounts behind its own access check. */
module io.listenlog.dashboard {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.jdbc;
    requires transitive jakarta.servlet;

    exports io.listenlog.dashboard;
    // The page and its script are read as resources.
    opens io.listenlog.dashboard.internal;
}
