package io.listenlog.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registered in front of the filter under test, it counts requests whose filter chain has returned, so a test knows
 * when ListenLogFilter has finished with a request even if the client saw the response earlier.
 */
final class HandledRequests implements Filter {

    private final AtomicLong handled = new AtomicLong();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } finally {
            handled.incrementAndGet();
        }
    }

    long count() {
        return handled.get();
    }
}
