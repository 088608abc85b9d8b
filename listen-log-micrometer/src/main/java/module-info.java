/** listen-log's Micrometer binder. */
module io.listenlog.micrometer {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires transitive micrometer.core;
    requires static io.listenlog.redis;
    requires static io.listenlog.servlet;
    requires static jakarta.servlet;

    exports io.listenlog.micrometer;
}
