/**
 * listen-log's Spring Boot auto-configuration. Open, because Spring creates and inspects its configuration classes
 * and beans reflectively; only {@code io.listenlog.spring.boot} is API.
 */
@SuppressWarnings("module")
open module io.listenlog.spring.boot {
    requires static transitive org.jspecify;
    requires transitive io.listenlog.core;
    requires transitive io.listenlog.jdbc;
    requires io.listenlog.servlet;
    requires java.sql;
    requires org.slf4j;
    requires spring.beans;
    requires spring.context;
    requires spring.core;
    requires transitive spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.boot.jdbc;
    requires spring.boot.sql;
    requires flyway.core;
    requires static spring.boot.flyway;
    requires static spring.boot.health;
    requires static spring.boot.actuator;
    requires static io.listenlog.redis;
    requires static io.listenlog.micrometer;
    requires static io.listenlog.dashboard;
    requires static io.listenlog.geoip;
    requires static micrometer.core;
    requires static jakarta.servlet;

    exports io.listenlog.spring.boot;
}
