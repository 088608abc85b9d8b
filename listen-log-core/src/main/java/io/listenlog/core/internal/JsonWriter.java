package io.listenlog.core.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * listen-log's one JSON writer, so that no module needs a JSON library (and its version) of its own: maps (in their
 * key order), lists, strings, booleans, numbers and null.
 */
public final class JsonWriter {
    private final boolean forPage;

    private JsonWriter(boolean forPage) {
        this.forPage = forPage;
    }

    /**
     * Compact JSON, numbers as they are, into a buffer of {@code expectedLength}: what stores write and streams carry
     * ({@link JsonShape#toJson}, which knows the length).
     */
    static String compact(Object value, int expectedLength) {
        StringBuilder out = new StringBuilder(expectedLength);
        new JsonWriter(false).write(out, value);
        return out.toString();
    }

    /**
     * JSON for a page's script: decimals rounded to three places in plain notation, non-finite ones as null, and
     * {@code <} escaped so that the text is safe inside HTML.
     */
    public static String forPage(Object value) {
        StringBuilder out = new StringBuilder(256);
        new JsonWriter(true).write(out, value);
        return out.toString();
    }

    private void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else if (forPage && (value instanceof Double || value instanceof Float)) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString() : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || forPage && c == '<') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
