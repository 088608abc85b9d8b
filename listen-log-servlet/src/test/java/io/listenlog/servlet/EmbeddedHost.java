package io.listenlog.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

/** A real Jetty or Tomcat on a free loopback port with one filter in front of the given servlets. */
interface EmbeddedHost extends AutoCloseable {

    /** {@code http://127.0.0.1:<port>} */
    String base();

    enum Kind {
        JETTY, TOMCAT;

        /** @param servlets by URL pattern ({@code /*}, {@code /stream/*}) */
        EmbeddedHost start(Filter filter, Map<String, HttpServlet> servlets) throws Exception {
            return this == JETTY ? jetty(filter, servlets) : tomcat(filter, servlets);
        }
    }

    private static EmbeddedHost started(int port, AutoCloseable stop) {
        String base = "http://127.0.0.1:" + port;
        return new EmbeddedHost() {
            @Override
            public String base() {
                return base;
            }

            @Override
            public void close() throws Exception {
                stop.close();
            }
        };
    }

    private static EmbeddedHost jetty(Filter filter, Map<String, HttpServlet> servlets) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        servlets.forEach((pattern, servlet) -> {
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, pattern);
        });
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        return started(connector.getLocalPort(), server::stop);
    }

    private static EmbeddedHost tomcat(Filter filter, Map<String, HttpServlet> servlets) throws Exception {
        Path baseDir = Files.createTempDirectory("listen-log-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        Context context = tomcat.addContext("", null);
        int i = 0;
        for (Map.Entry<String, HttpServlet> entry : servlets.entrySet()) {
            String name = "servlet-" + i++;
            Tomcat.addServlet(context, name, entry.getValue()).setAsyncSupported(true);
            context.addServletMappingDecoded(entry.getKey(), name);
        }
        TomcatContainer.addFilter(context, "listen-log", filter);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.start();
        return started(tomcat.getConnector().getLocalPort(), () -> {
            tomcat.stop();
            tomcat.destroy();
            TomcatContainer.deleteRecursively(baseDir);
        });
    }
}
