package io.listenlog.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** A response's output stream that tells a capture what the host wrote, once the container took it. */
final class WatchedOutputStream extends ServletOutputStream {

    /** What a capture hears of the body. */
    interface Watcher {
        /** {@code len} bytes of {@code b} from {@code off} went to the container. */
        void written(byte[] b, int off, int len);

        /** The host flushed the response: it is under way even if it wrote nothing yet. */
        default void flushed() {
        }
    }

    /**
     * The writer a response wrapper hands out over its own output stream, so that text the host writes passes the
     * same way as bytes: in the response's character encoding, UTF-8 when it names none.
     */
    static PrintWriter writerOver(ServletOutputStream out, @Nullable String encoding) {
        return new PrintWriter(new OutputStreamWriter(out,
                encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
    }

    private final ServletOutputStream delegate;
    private final Watcher watcher;

    WatchedOutputStream(ServletOutputStream delegate, Watcher watcher) {
        this.delegate = delegate;
        this.watcher = watcher;
    }

    @Override
    public void write(int b) throws IOException {
        delegate.write(b);
        watcher.written(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        delegate.write(b, off, len);
        watcher.written(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        watcher.flushed();
        delegate.flush();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        delegate.setWriteListener(writeListener);
    }
}
