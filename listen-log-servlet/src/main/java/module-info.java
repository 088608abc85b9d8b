/** listen-log's Jakarta Servlet filter: logs a listen for each successful GET of a player or stream URL. */
module io.listenlog.servlet {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires transitive jakarta.servlet;
    requires org.slf4j;

    exports io.listenlog.servlet;
}
