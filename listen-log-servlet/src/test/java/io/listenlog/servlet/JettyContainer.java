package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.EnumSet;

/** Embedded Jetty 12 (ee10) with the filter registered programmatically, exactly as docs/servlet.md shows. */
final class JettyContainer implements ServletContainer {

    private final Server server;
    private final ServerConnector connector;
    private final HandledRequests handledRequests = new HandledRequests();

    private JettyContainer(ListenLogger listenLogger, ListenLogFilter given, String... trustedProxies)
            throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder station = new ServletHolder(new StationServlet());
        station.setAsyncSupported(true);
        context.addServlet(station, "/*");
        FilterHolder handled = new FilterHolder(handledRequests);
        handled.setAsyncSupported(true);
        context.addFilter(handled, "/*", EnumSet.of(DispatcherType.REQUEST));

        if (given != null) {
            FilterHolder givenHolder = new FilterHolder(given);
            givenHolder.setAsyncSupported(true);
            context.addFilter(givenHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
        } else {
            // The registration shown in docs/servlet.md (DocsSnippetsTest keeps the two equal):
            ListenLogFilter listenFilter = ListenLogFilter.builder(listenLogger)
                    .countOn(ListenLogFilter.CountOn.PAGE_VIEW)
                    .trustedProxies(trustedProxies)
                    .build();
            FilterHolder listenHolder = new FilterHolder(listenFilter);
            listenHolder.setAsyncSupported(true);
            context.addFilter(listenHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }

        server.setHandler(context);
        server.start();
    }

    static JettyContainer start(ListenLogger listenLogger, String... trustedProxies) throws Exception {
        return new JettyContainer(listenLogger, null, trustedProxies);
    }

    /** With a filter configured by the test. */
    static JettyContainer start(ListenLogFilter listenFilter) throws Exception {
        return new JettyContainer(null, listenFilter);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public HandledRequests handledRequests() {
        return handledRequests;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
