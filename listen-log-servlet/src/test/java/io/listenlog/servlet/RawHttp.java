package io.listenlog.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 requests written byte for byte, for what {@code java.net.http} refuses to send: a raw {@code %zz} in the
 * query, header bytes outside ASCII.
 */
final class RawHttp {
    /** The status and body of the answer. */
    record Answer(int status, String contentType, String body) {
    }

    private RawHttp() {
    }

    /** Sends {@code head} (without the blank line; ISO-8859-1 bytes) and {@code body}, and reads the answer. */
    static Answer send(String base, String head, byte[] body) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            int end = text.indexOf("\r\n\r\n");
            String contentType = null;
            for (String line : text.substring(0, end).split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    contentType = line.substring(13).strip();
                }
            }
            return new Answer(status, contentType, text.substring(end + 4));
        }
    }
}
