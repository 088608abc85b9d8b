package io.listenlog.redis.internal;

import org.jspecify.annotations.Nullable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the replies of {@code XINFO GROUPS} and {@code XINFO STREAM}, which Lettuce leaves as flat lists. */
public final class XInfo {

    private XInfo() {
    }

    /** The field-value pairs of an {@code XINFO} reply, as a map. */
    public static Map<String, Object> pairs(Object info) {
        Map<String, Object> fields = new HashMap<>();
        if (info instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                fields.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
        }
        return fields;
    }

    /** A number of an {@code XINFO} reply, or -1 when it is none (a Redis too old to report it). */
    public static long asLong(@Nullable Object value) {
        return value instanceof Number number ? number.longValue() : -1;
    }
}
