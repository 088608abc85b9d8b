package io.listenlog.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;

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
