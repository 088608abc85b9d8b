package io.listenlog.servlet.internal;

import java.util.Map;

/** Caches a capture keeps of what it learned (a source's target duration, a file's bitrate, a verified token). */
final class BoundedMaps {
    private BoundedMaps() {
    }

    /**
     * Puts {@code key}, first emptying {@code map} if it already holds {@code max} other keys: a flood of new keys
     * costs the cache its contents, never memory past the bound, and what it held is learned again.
     */
    static <K, V> void put(Map<K, V> map, K key, V value, int max) {
        if (map.size() >= max && !map.containsKey(key)) {
            map.clear();
        }
        map.put(key, value);
    }
}
