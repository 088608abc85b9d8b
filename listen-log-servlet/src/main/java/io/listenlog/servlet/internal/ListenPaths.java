package io.listenlog.servlet.internal;

import java.util.Objects;

/** Recognizes {@code <prefix><id>} paths. */
public final class ListenPaths {

    private ListenPaths() {
    }

    /**
     * @return {@code prefix}
     * @throws IllegalArgumentException unless it starts and ends with {@code /}
     */
    public static String checkPrefix(String prefix, String name) {
        Objects.requireNonNull(prefix, name);
        if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException(name + " must start and end with '/', such as /listen/, got '"
                    + prefix + "'");
        }
        return prefix;
    }

    /**
     * The source id in {@code path} when it is {@code prefix} followed by nothing but ASCII digits whose value is in
     * 1..{@link Long#MAX_VALUE}; otherwise 0.
     */
    public static long sourceId(String path, String prefix) {
        return path == null || !path.startsWith(prefix) ? 0 : digitsBefore(path, prefix.length(), path.length());
    }

    private static long digitsBefore(String path, int from, int end) {
        if (from == end) {
            return 0;
        }
        long id = 0;
        for (int i = from; i < end; i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            int digit = c - '0';
            if (id > (Long.MAX_VALUE - digit) / 10) {
                return 0;
            }
            id = id * 10 + digit;
        }
        return id;
    }

    /**
     * The source id of {@code path} when it is {@code <prefix><id>/<name>} with a valid id and a name that is not
     * empty (a source's folder of playlists, segments or files); otherwise 0.
     */
    public static long sourceIdOfFolder(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return 0;
        }
        int slash = path.indexOf('/', prefix.length());
        return slash < 0 || slash == path.length() - 1 ? 0 : digitsBefore(path, prefix.length(), slash);
    }
}
