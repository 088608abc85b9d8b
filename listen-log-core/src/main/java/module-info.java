/** listen-log's core: the logger, the request and event types, IP anonymization and the store SPI. */
// The modules named in the qualified export are built after this one.
@SuppressWarnings("module")
module io.listenlog.core {
    requires static transitive org.jspecify;
    requires org.slf4j;

    exports io.listenlog.core;
    exports io.listenlog.core.internal to io.listenlog.jdbc, io.listenlog.servlet, io.listenlog.redis,
            io.listenlog.dashboard;
}
