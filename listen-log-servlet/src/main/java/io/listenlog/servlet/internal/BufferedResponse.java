package io.listenlog.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A response whose body the host writes into memory, so that the filter can change it before it leaves (a playlist
 * it adds listen tokens to). Past {@code limit} bytes it stops holding the body and passes it on as it comes, as it
 * is then no playlist worth changing. The length the host declares is dropped: the filter sets the real one.
 */
final class BufferedResponse extends HttpServletResponseWrapper {
    private final int limit;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private @Nullable ServletOutputStream passedOn;
    private @Nullable ServletOutputStream out;
    private @Nullable PrintWriter writer;

    BufferedResponse(HttpServletResponse response, int limit) {
        super(response);
        this.limit = limit;
    }

    /** The body as the host wrote it, or {@code null} when it outgrew the limit and went out unchanged. */
    byte @Nullable [] body() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        return passedOn == null ? held.toByteArray() : null;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (out == null) {
            out = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (passedOn == null && held.size() + len > limit) {
                        passedOn = getResponse().getOutputStream();
                        held.writeTo(passedOn);
                    }
                    if (passedOn != null) {
                        passedOn.write(b, off, len);
                    } else {
                        held.write(b, off, len);
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener writeListener) {
                    throw new IllegalStateException("listen-log holds an HLS playlist in memory to add listen "
                            + "tokens to it, so it cannot be written with non-blocking I/O: write it blocking");
                }
            };
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = WatchedOutputStream.writerOver(getOutputStream(), getCharacterEncoding());
        }
        return writer;
    }

    @Override
    public void setContentLength(int len) {
    }

    @Override
    public void setContentLengthLong(long len) {
    }

    @Override
    public void setHeader(String name, String value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void flushBuffer() {
        // held until the filter has changed the body
    }

    @Override
    public void resetBuffer() {
        held.reset();
        super.resetBuffer();
    }

    @Override
    public void reset() {
        held.reset();
        super.reset();
    }
}
