package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates and deeply copies JSON-shaped values (the {@code extra} of a listen). */
public final class JsonShape {

    static final int MAX_DEPTH = 32;

    private JsonShape() {
    }

    /**
     * A deeply immutable copy of {@code map}.
     *
     * @throws IllegalArgumentException if a key is not a String, a value is not JSON-shaped, the nesting is deeper
     *                                  than {@value #MAX_DEPTH}, or the compact JSON encoding exceeds
     *                                  {@code maxJsonLength} characters
     */
    public static Map<String, Object> immutableCopy(Map<?, ?> map, int maxJsonLength) {
        Copier copier = new Copier(maxJsonLength);
        return copier.copyMap(map, 1, "extra");
    }

    /**
     * The compact JSON encoding of a map made by {@link #immutableCopy}, in its key order: the text stores write, so
     * that no store needs a JSON library (and its version) of its own.
     */
    public static String toJson(Map<String, Object> map) {
        return JsonWriter.compact(map, map instanceof FrozenMap frozen ? (int) frozen.jsonLength : 64);
    }

    /** Whether {@code map} was made by {@link #immutableCopy}. */
    public static boolean isImmutableCopy(Map<?, ?> map) {
        return map instanceof FrozenMap;
    }

    private static final class Copier {
        private final int maxLength;
        private long length;

        Copier(int maxLength) {
            this.maxLength = maxLength;
        }

        private void add(long chars, String path) {
            length += chars;
            if (length > maxLength) {
                throw new IllegalArgumentException("extra is too large: its JSON encoding exceeds " + maxLength
                        + " characters (at " + path + ")");
            }
        }

        Map<String, Object> copyMap(Map<?, ?> map, int depth, String path) {
            checkDepth(depth, path);
            if (map instanceof FrozenMap frozen) {
                add(frozen.jsonLength, path);
                return frozen;
            }
            long start = length;
            LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
            add(2 + Math.max(0, map.size() - 1), path);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("extra keys must be strings, got "
                            + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()) + " at " + path);
                }
                add(stringLength(key) + 1, path);
                copy.put(key, copyValue(entry.getValue(), depth, path + "." + key));
            }
            return new FrozenMap(copy, length - start);
        }

        private @Nullable Object copyValue(Object value, int depth, String path) {
            if (value == null) {
                add(4, path);
                return null;
            }
            if (value instanceof String s) {
                add(stringLength(s), path);
                return s;
            }
            if (value instanceof Boolean b) {
                add(b ? 4 : 5, path);
                return b;
            }
            if (value instanceof Number n) {
                Number copy = immutableNumber(n, path);
                add(copy.toString().length(), path);
                return copy;
            }
            if (value instanceof Map<?, ?> m) {
                return copyMap(m, depth + 1, path);
            }
            if (value instanceof List<?> list) {
                checkDepth(depth + 1, path);
                add(2 + Math.max(0, list.size() - 1), path);
                List<Object> copy = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    copy.add(copyValue(list.get(i), depth + 1, path + "[" + i + "]"));
                }
                return Collections.unmodifiableList(copy);
            }
            throw new IllegalArgumentException("extra values must be JSON-shaped (String, Number, Boolean, null, List,"
                    + " Map with String keys), got " + value.getClass().getName() + " at " + path);
        }

        private static Number immutableNumber(Number n, String path) {
            if (n instanceof Double d && (d.isNaN() || d.isInfinite())
                    || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
                throw new IllegalArgumentException("extra numbers must be finite (JSON has no NaN or Infinity), got "
                        + n + " at " + path);
            }
            if (n instanceof Integer || n instanceof Long || n instanceof Double || n instanceof Float
                    || n instanceof Short || n instanceof Byte || n instanceof BigInteger
                    || n.getClass() == BigDecimal.class) {
                return n;
            }
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("extra number " + n + " at " + path + " is not a JSON number", e);
            }
        }

        private static void checkDepth(int depth, String path) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("extra is nested deeper than " + MAX_DEPTH + " levels (at " + path
                        + "); is it cyclic?");
            }
        }

        private static long stringLength(String s) {
            long n = 2;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                    n += 2;
                } else if (c < 0x20) {
                    n += 6;
                } else {
                    n += 1;
                }
            }
            return n;
        }
    }

    /** Unmodifiable, insertion-ordered, and known to hold only deeply immutable JSON values. */
    private static final class FrozenMap extends AbstractMap<String, Object> {
        private final Map<String, Object> entries;
        private final long jsonLength;

        FrozenMap(LinkedHashMap<String, Object> entries, long jsonLength) {
            this.entries = Collections.unmodifiableMap(entries);
            this.jsonLength = jsonLength;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public @Nullable Object get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }
}
