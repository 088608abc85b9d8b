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

/**
 * A real Jetty or Tomcat on a free loopback port with one filter in front of the given servlets and, optionally, the
 * container's own default servlet serving a folder's files at {@code /} (ranges, multipart ranges and all).
 */
interface EmbeddedHost extends AutoCloseable {

    /** {@code http://127.0.0.1:<port>} */
    String base();

    enum Kind {
        JETTY, TOMCAT;

        /** @param servlets by URL pattern ({@code /*}, {@code /stream/*}) */
        EmbeddedHost start(Filter filter, Map<String, HttpServlet> servlets) throws Exception {
            return start(filter, servlets, null);
        }

        /** @param files served by the container's default servlet, or {@code null} for none */
        EmbeddedHost start(Filter filter, Map<String, HttpServlet> servlets, Path files) throws Exception {
            return this == JETTY ? jetty(filter, servlets, files) : tomcat(filter, servlets, files);
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

    private static EmbeddedHost jetty(Filter filter, Map<String, HttpServlet> servlets, Path files) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (files != null) {
            context.setBaseResourceAsPath(files);
            context.addServlet(new ServletHolder("default", new org.eclipse.jetty.ee10.servlet.DefaultServlet()), "/");
        }
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

    private static EmbeddedHost tomcat(Filter filter, Map<String, HttpServlet> servlets, Path files) throws Exception {
        Path baseDir = Files.createTempDirectory("listen-log-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        Context context = tomcat.addContext("", files == null ? null : files.toString());
        if (files != null) {
            Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
            context.addServletMappingDecoded("/", "default");
        }
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
