package io.listenlog.quickstart;

import io.listenlog.jdbc.ListenLogDataSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/quickstart.md's two hosts, copied file by file into empty folders, built by Maven from the local repository
 * (Debian's Maven 3.8 when it is installed, as a newcomer has it; else this build's wrapper) and run with the page's
 * commands: a GET is a stored play, and start-up warns about nothing.
 */
class QuickstartFromEmptyFolderTest {
    private static final Path MAVEN_3_8 = Path.of("/usr/bin/mvn");
    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final QuickstartPage page = new QuickstartPage();
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String maven() {
        if (Files.isExecutable(MAVEN_3_8)) {
            return MAVEN_3_8.toString();
        }
        System.out.println("QuickstartFromEmptyFolderTest: " + MAVEN_3_8 + " is missing, building with ./mvnw");
        return Path.of("..", "mvnw").toAbsolutePath().normalize().toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts {@code command} in {@code folder}, its output in {@code log}. */
    private Process start(Path folder, Path log, String salt, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("LISTEN_LOG_SALT");
        if (salt != null) {
            builder.environment().put("LISTEN_LOG_SALT", salt);
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static void run(Path folder, Path log, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(BUILD.toSeconds(), TimeUnit.SECONDS)).as("%s finishes", String.join(" ", command))
                .isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), Files.readString(log)).isZero();
    }

    private static HttpResponse<String> awaitAnswer(String url, Process server, Path log) {
        HttpResponse<String>[] answer = new HttpResponse[1];
        await().atMost(BUILD).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            assertThat(server.isAlive()).as(() -> "the host stopped: " + read(log)).isTrue();
            answer[0] = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            return true;
        });
        return answer[0];
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static long plays(Path database) throws Exception {
        DataSource db = ListenLogDataSources.sqlite(database);
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT listen_count FROM radio_source WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : -1;
        } finally {
            ((AutoCloseable) db).close();
        }
    }

    @Test
    void theJettyHostBuildsAndRunsAsWritten() throws Exception {
        assertThat(page.commands("jetty")).containsExactly("export LISTEN_LOG_SALT=$(openssl rand -hex 32)",
                "mvn -q compile exec:java");
        Path project = Files.createDirectories(dir.resolve("jetty"));
        page.writeProject("jetty", project);
        assertThat(page.files("jetty")).containsOnlyKeys("pom.xml",
                "src/main/java/com/example/quickstart/JettyRadio.java");

        int port = freePort();
        Path log = dir.resolve("jetty.log");
        Process server = start(project, log, "3a1f0c9e7b5d24e8f6a0b3c7d9e1f245", maven(), "-B", "-q", "compile",
                "exec:java", "-Dexec.args=" + port);
        HttpResponse<String> play = awaitAnswer("http://127.0.0.1:" + port + "/listen/1", server, log);
        assertThat(play.statusCode()).isEqualTo(200);
        assertThat(play.body()).contains("now playing /1");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(plays(project.resolve("radio.db"))).isEqualTo(1));
        assertThat(read(log)).as("start-up warns about nothing").doesNotContain("WARN");
    }

    @Test
    void theSpringBootHostBuildsAndRunsAsWritten() throws Exception {
        assertThat(page.commands("boot")).containsExactly("mvn -q package", "java -jar target/boot-radio-1.0.jar");
        Path project = Files.createDirectories(dir.resolve("boot"));
        page.writeProject("boot", project);
        assertThat(page.files("boot")).containsOnlyKeys("pom.xml", "src/main/resources/db/migration/V1__radio_source.sql",
                "src/main/java/com/example/quickstart/BootRadio.java", "src/main/resources/application.properties");

        run(project, dir.resolve("boot-build.log"), maven(), "-B", "-q", "package");
        int port = freePort();
        Path log = dir.resolve("boot.log");
        Process server = start(project, log, null, ProcessHandle.current().info().command().orElse("java"), "-jar",
                "target" + File.separator + "boot-radio-1.0.jar", "--server.port=" + port);
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> play = awaitAnswer(base + "/listen/1", server, log);
        assertThat(play.statusCode()).isEqualTo(200);
        assertThat(play.body()).isEqualTo("now playing 1");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> written = HTTP.send(HttpRequest.newBuilder(URI.create(base
                    + "/actuator/metrics/listenlog.listens?tag=outcome:written")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(written.statusCode()).isEqualTo(200);
            assertThat(written.body()).contains("\"value\":1.0");
        });
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/listenLog")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"status\":\"UP\"");
        assertThat(plays(project.resolve("radio.db"))).isEqualTo(1);
        assertThat(read(log)).as("start-up warns about nothing").doesNotContain(" WARN ");
    }
}
