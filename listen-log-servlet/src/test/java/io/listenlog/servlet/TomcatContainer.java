package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Embedded Tomcat with the filter registered declaratively: by class name (the no-arg constructor), with the
 * {@code trusted-proxies} init-param, and the logger put in {@link ListenLogFilter#LOGGER_ATTRIBUTE} by a
 * {@link ServletContextListener}: the programmatic equivalent of the web.xml in docs/servlet.md, which
 * {@link TomcatWebXmlTest} boots as is.
 */
final class TomcatContainer implements ServletContainer {
    /**
     * Tomcat logs the first malformed request of a processor with its stack trace at INFO; the contract sends one on
     * purpose (a BEL in a header), so only warnings of that logger are shown. Held here so it is not collected.
     */
    private static final java.util.logging.Logger HTTP11_PROCESSOR =
            java.util.logging.Logger.getLogger("org.apache.coyote.http11.Http11Processor");

    static {
        HTTP11_PROCESSOR.setLevel(java.util.logging.Level.WARNING);
    }

    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;
    private final HandledRequests handledRequests = new HandledRequests();

    private TomcatContainer(ListenLogger listenLogger, String... trustedProxies) throws LifecycleException,
            IOException {
        baseDir = Files.createTempDirectory("listen-log-tomcat");
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "station", new StationServlet()).setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "station");
        addFilter(context, "handled", handledRequests);

        FilterDef listenLog = new FilterDef();
        listenLog.setFilterName("listen-log");
        listenLog.setFilterClass(ListenLogFilter.class.getName());
        listenLog.setAsyncSupported("true");
        listenLog.addInitParameter("trusted-proxies", String.join(",", trustedProxies));
        listenLog.addInitParameter("count-on", "page-view");
        context.addFilterDef(listenLog);
        FilterMap listenLogMapping = new FilterMap();
        listenLogMapping.setFilterName("listen-log");
        listenLogMapping.addURLPatternDecoded("/*");
        context.addFilterMap(listenLogMapping);
        ((StandardContext) context).addApplicationLifecycleListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                event.getServletContext().setAttribute(ListenLogFilter.LOGGER_ATTRIBUTE, listenLogger);
            }
        });

        tomcat.getConnector();
        tomcat.start();
    }

    static TomcatContainer start(ListenLogger listenLogger, String... trustedProxies) throws Exception {
        return new TomcatContainer(listenLogger, trustedProxies);
    }

    static void addFilter(Context context, String name, Filter filter) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        def.setFilterClass(filter.getClass().getName());
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPatternDecoded("/*");
        context.addFilterMap(map);
    }

    @Override
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public HandledRequests handledRequests() {
        return handledRequests;
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        deleteRecursively(baseDir);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
