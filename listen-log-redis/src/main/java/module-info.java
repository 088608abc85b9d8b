/** listen-log over Redis Streams: a ListenStore that publishes to a stream and the consumer that stores what it holds. */
// Lettuce is an automatic module; its RedisClient is part of this module's API (the builders take one).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.listenlog.redis {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires transitive lettuce.core;
    requires org.slf4j;

    exports io.listenlog.redis;
}
