package io.listenlog.servlet.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A progress report's fields, read by the filter itself rather than by the container, so that a form the container
 * cannot parse (another charset, a huge body, a broken escape) is answered by listen-log with a 4xx, never by the
 * container's error page.
 */
public final class ReportForm {
    /** A report is a token (at most about 4 KB) and a number. */
    public static final int MAX_BODY_BYTES = 8_192;
    /**
     * A larger body is read and thrown away up to this size before the 413, so that the client hears the answer
     * instead of a connection reset; beyond it the connection is simply answered and closed.
     */
    private static final long MAX_DRAINED_BYTES = 16L << 20;

    /** A report listen-log refuses before looking at its fields, with the status to answer. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private ReportForm() {
    }

    /**
     * The fields of the query string and of an {@code application/x-www-form-urlencoded} UTF-8 body together.
     *
     * @throws Refused 413 for a body over {@link #MAX_BODY_BYTES}, 415 for another content type or charset, 400 for
     *                 a broken escape, bytes that are not UTF-8, or a field given twice
     */
    public static Map<String, String> read(String query, String contentType, long contentLength, InputStream body)
            throws Refused, IOException {
        Map<String, String> fields = new HashMap<>();
        if (query != null) {
            parse(query.getBytes(StandardCharsets.ISO_8859_1), fields);
        }
        if (contentLength > MAX_BODY_BYTES) {
            if (contentLength <= MAX_DRAINED_BYTES) {
                body.skipNBytes(contentLength);
            }
            throw tooLarge();
        }
        checkContentType(contentType);
        byte[] bytes = readAtMost(body, MAX_BODY_BYTES);
        parse(bytes, fields);
        return fields;
    }

    private static Refused tooLarge() {
        return new Refused(413, "a progress report is at most " + MAX_BODY_BYTES + " bytes: the token and the seconds");
    }

    private static void checkContentType(String contentType) throws Refused {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw new Refused(415, "a progress report is an application/x-www-form-urlencoded form, not "
                    + parts[0].strip());
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(eq + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("us-ascii")) {
                    throw new Refused(415, "a progress report is encoded in UTF-8, not " + charset);
                }
            }
        }
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException, Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[2_048];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > max) {
                throw tooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void parse(byte[] form, Map<String, String> fields) throws Refused {
        int start = 0;
        while (start <= form.length) {
            int end = start;
            while (end < form.length && form[end] != '&') {
                end++;
            }
            if (end > start) {
                int eq = start;
                while (eq < end && form[eq] != '=') {
                    eq++;
                }
                String name = decode(form, start, eq);
                String value = eq < end ? decode(form, eq + 1, end) : "";
                if (fields.putIfAbsent(name, value) != null) {
                    throw new Refused(400, "the field '" + printable(name) + "' is given twice");
                }
            }
            start = end + 1;
        }
    }

    private static String decode(byte[] form, int from, int to) throws Refused {
        ByteBuffer bytes = ByteBuffer.allocate(to - from);
        for (int i = from; i < to; i++) {
            byte b = form[i];
            if (b == '+') {
                bytes.put((byte) ' ');
            } else if (b == '%') {
                int high = i + 1 < to ? Character.digit(form[i + 1], 16) : -1;
                int low = i + 2 < to ? Character.digit(form[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    throw new Refused(400, "a '%' in the report is not followed by two hex digits");
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else {
                bytes.put(b);
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new Refused(400, "the report is not UTF-8");
        }
    }

    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
