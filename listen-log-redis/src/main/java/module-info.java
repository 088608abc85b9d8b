/** listen-log over Redis Streams: a ListenStore that publishes to a stream and the consumer that stores what it holds. */
module io.listenlog.redis {
    requires transitive io.listenlog.core;
    requires transitive lettuce.core;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    exports io.listenlog.redis;
}
