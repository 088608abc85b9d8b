package com.example.radio;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.servlet.ListenLogFilter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** The listener of the Tomcat example in docs/servlet.md, verbatim. */
public class ListenLogSetup implements ServletContextListener {
    private ListenLogger listenLogger;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        listenLogger = ListenLogger.builder()
                .store(RadioDatabase.listenStore())
                .anonymizer(IpAnonymizer.fromEnvironment())
                .build();
        event.getServletContext().setAttribute(ListenLogFilter.LOGGER_ATTRIBUTE, listenLogger);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        listenLogger.close();
    }
}
