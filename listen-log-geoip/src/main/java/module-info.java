/** listen-log's country lookup from MaxMind DB files. */
module io.listenlog.geoip {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires com.maxmind.db;
    requires org.slf4j;

    exports io.listenlog.geoip;
}
