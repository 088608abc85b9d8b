/** listen-log's Micrometer binder. */
module io.listenlog.micrometer {
    requires transitive io.listenlog.core;
    requires transitive micrometer.core;

    exports io.listenlog.micrometer;
}
