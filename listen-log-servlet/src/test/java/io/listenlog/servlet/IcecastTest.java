package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenLogger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Icecast 2.4 (Debian's icecast2, started on a free port with a config written here) calling
 * {@link IcecastListenerServlet} in Jetty: a source pushes audio to a mount, real listeners connect and stay a few
 * seconds; the stored plays and durations match what they did.
 */
class IcecastTest {
    private static final Path ICECAST = Path.of("/usr/bin/icecast2");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private final RecordingStore store = new RecordingStore();
    private final ListenLogger logger = ListenLogger.builder().store(store).anonymizer(ListenLogFilterContract.ANONYMIZER)
            .maxBatchDelay(Duration.ofMillis(5)).closeOnShutdown(false).build();
    private final AtomicBoolean sourcing = new AtomicBoolean(true);
    private Server jetty;
    private Process icecast;
    private IcecastListenerServlet callbacks;

    @AfterEach
    void stop() throws Exception {
        sourcing.set(false);
        if (icecast != null) {
            icecast.destroy();
            icecast.waitFor(10, TimeUnit.SECONDS);
        }
        if (jetty != null) {
            jetty.stop();
        }
        logger.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private int start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ICECAST), ICECAST + " is missing: install the Debian package icecast2"
                + " (.ci/run does) to run the Icecast test");
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        callbacks = IcecastListenerServlet.builder(logger).mount("/radio1", 1).build();
        context.addServlet(new ServletHolder(callbacks), "/icecast");
        jetty.setHandler(context);
        jetty.start();
        String callback = "http://127.0.0.1:" + connector.getLocalPort() + "/icecast";

        int port = freePort();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path config = dir.resolve("icecast.xml");
        Files.writeString(config, """
                <icecast>
                  <limits><clients>20</clients><sources>2</sources><source-timeout>10</source-timeout></limits>
                  <authentication>
                    <source-password>hackme-source</source-password>
                    <admin-user>admin</admin-user><admin-password>hackme-admin</admin-password>
                  </authentication>
                  <hostname>127.0.0.1</hostname>
                  <listen-socket><port>%d</port><bind-address>127.0.0.1</bind-address></listen-socket>
                  <mount type="normal">
                    <mount-name>/radio1</mount-name>
                    <authentication type="url">
                      <option name="listener_add" value="%s"/>
                      <option name="listener_remove" value="%s"/>
                      <option name="auth_header" value="icecast-auth-user: 1"/>
                    </authentication>
                  </mount>
                  <mount type="normal">
                    <mount-name>/unknown</mount-name>
                    <authentication type="url">
                      <option name="listener_add" value="%s"/>
                      <option name="auth_header" value="icecast-auth-user: 1"/>
                    </authentication>
                  </mount>
                  <paths><logdir>%s</logdir><webroot>/usr/share/icecast2/web</webroot>
                    <adminroot>/usr/share/icecast2/admin</adminroot></paths>
                  <logging><errorlog>error.log</errorlog><accesslog>access.log</accesslog><loglevel>3</loglevel></logging>
                  <security><chroot>0</chroot>%s</security>
                </icecast>
                """.formatted(port, callback, callback, callback, logs,
                root ? "<changeowner><user>nobody</user><group>nogroup</group></changeowner>" : ""));
        icecast = new ProcessBuilder(ICECAST.toString(), "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("icecast.out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return probe.isConnected();
            }
        });
        return port;
    }

    /** A source client pushing bytes to {@code mount} with the SOURCE method, until the test ends. */
    private void source(int port, String mount) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        String auth = Base64.getEncoder().encodeToString("source:hackme-source".getBytes(StandardCharsets.UTF_8));
        out.write(("SOURCE " + mount + " HTTP/1.0\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: audio/mpeg\r\nIce-Name: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] answer = new byte[12];
        int read = socket.getInputStream().read(answer);
        assertThat(new String(answer, 0, Math.max(read, 0), StandardCharsets.US_ASCII)).contains("200");
        Thread pusher = new Thread(() -> {
            byte[] chunk = new byte[2048];
            try (socket) {
                while (sourcing.get()) {
                    out.write(chunk);
                    out.flush();
                    LockSupport.parkNanos(50_000_000);
                }
            } catch (Exception ended) {
                // the test is over
            }
        }, "icecast-source");
        pusher.setDaemon(true);
        pusher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/status-json.xsl")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains(mount));
    }

    @Test
    void listenersOfAMountArePlaysAndHowLongTheyStayedIsTheirDuration() throws Exception {
        int port = start();
        source(port, "/radio1");

        long began = System.nanoTime();
        HttpResponse<InputStream> listener = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/radio1")).header("User-Agent", "VLC/3.0.20 LibVLC/3.0.20").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(listener.statusCode()).isEqualTo(200);
        try (InputStream audio = listener.body()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                audio.readNBytes(2048);  // listening
                return System.nanoTime() - began > TimeUnit.SECONDS.toNanos(3);
            });
        }
        long listened = Duration.ofNanos(System.nanoTime() - began).getSeconds();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            logger.flush(Duration.ofSeconds(1));
            return store.events().size() == 1 && store.duration(store.events().get(0).listenId()) != null;
        });
        ListenEvent play = store.events().get(0);
        assertThat(play.sourceId()).isEqualTo(1);
        assertThat(play.userAgent()).isEqualTo("VLC/3.0.20 LibVLC/3.0.20");
        assertThat(play.ipHash()).isEqualTo(ListenLogFilterContract.ANONYMIZER.anonymize("127.0.0.1"));
        assertThat(store.duration(play.listenId())).isBetween((int) listened - 2, (int) listened + 2);
        assertThat(callbacks.unmatchedRemovals()).isZero();
    }

    @Test
    void aListenerUrlWithAQueryStringIsAdmittedAndCountedOnItsMount() throws Exception {
        int port = start();
        source(port, "/radio1");

        HttpResponse<InputStream> listener = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/radio1?nocache=123&type=.mp3")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(listener.statusCode()).as("a player's cache-buster never costs a listener").isEqualTo(200);
        try (InputStream audio = listener.body()) {
            assertThat(audio.readNBytes(4096)).hasSize(4096);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            logger.flush(Duration.ofSeconds(1));
            return store.events().size() == 1 && store.duration(store.events().get(0).listenId()) != null;
        });
        assertThat(store.events().get(0).sourceId()).isEqualTo(1);
        assertThat(callbacks.unmatchedRemovals()).isZero();
    }

    @Test
    void anUnknownMountIsRefusedAndCallbacksFromElsewhereAreForbidden() throws Exception {
        int port = start();
        source(port, "/unknown");

        HttpResponse<Void> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/unknown")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(refused.statusCode()).isIn(401, 403);

        IcecastListenerServlet elsewhere = IcecastListenerServlet.builder(logger).mount("/radio1", 1)
                .icecastAddresses("10.0.0.1").build();
        ServletContextHandler context = (ServletContextHandler) jetty.getHandler();
        context.addServlet(new ServletHolder(elsewhere), "/elsewhere");
        String callback = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        HttpResponse<Void> forbidden = HTTP.send(HttpRequest.newBuilder(URI.create(callback + "/elsewhere"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=listener_add&mount=/radio1&client=1&ip=192.0.2.1"))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(store.events()).isEmpty();
    }
}
