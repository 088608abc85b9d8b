package io.listenlog.spring.boot;

import io.listenlog.core.ListenLogger;

/**
 * Changes the starter's {@link ListenLogger} before it is built, for what a property cannot say (a client classifier,
 * a thread factory, a clock). Every bean of this type is applied, in {@code @Order}, after the properties.
 */
@FunctionalInterface
public interface ListenLoggerCustomizer {

    void customize(ListenLogger.Builder builder);
}
