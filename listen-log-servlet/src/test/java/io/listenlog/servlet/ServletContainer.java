package io.listenlog.servlet;

import java.net.URI;

/** A started embedded container running {@link StationServlet} behind the filter under test. */
interface ServletContainer extends AutoCloseable {

    int port();

    HandledRequests handledRequests();

    default URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    @Override
    void close() throws Exception;
}
