package io.listenlog.servlet;

import com.example.radio.RadioDatabase;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Boots Tomcat from the web.xml and ServletContextListener shown in docs/servlet.md. */
class TomcatWebXmlTest {

    @Test
    void theDocumentedWebXmlLogsListensThroughItsTrustedProxy(@TempDir Path baseDir) throws Exception {
        Path webInf = Files.createDirectories(baseDir.resolve("webapp/WEB-INF"));
        try (var webXml = TomcatWebXmlTest.class.getResourceAsStream("/webapp/WEB-INF/web.xml")) {
            Files.copy(webXml, webInf.resolve("web.xml"));
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", baseDir.resolve("webapp").toString());
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        Tomcat.addServlet(context, "station", new StationServlet()).setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "station");
        tomcat.getConnector();
        tomcat.start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/listen/2"))
                    .header("X-Forwarded-For", "203.0.113.9")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("station 2\n");

            ListenLogger logger = (ListenLogger) context.getServletContext()
                    .getAttribute(ListenLogFilter.LOGGER_ATTRIBUTE);
            RecordingStore store = (RecordingStore) RadioDatabase.listenStore();
            await().atMost(Duration.ofSeconds(10)).until(() -> !store.events().isEmpty());
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(store.events()).singleElement().satisfies(event -> {
                assertThat(event.sourceId()).isEqualTo(2);
                assertThat(event.ipHash()).isEqualTo(IpAnonymizer.fromEnvironment().anonymize("203.0.113.9"));
            });
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
