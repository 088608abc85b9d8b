package io.listenlog.quickstart;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java example in README.md, docs/ and the Javadoc of the modules' sources compiles against listen-log as
 * released, so no example shows a method that does not exist. An example is compiled as a whole file when it is one,
 * as members of a class when it declares methods, and otherwise as the body of a method of a class that holds the
 * names examples take as given ({@code dataSource}, {@code listens}, {@code request}...). An elided body
 * ({@code { ... }}) or line ({@code ...}) stands for code of the host's.
 */
class DocsExamplesCompileTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern MARKDOWN = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern JAVADOC = Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*\\s*}</pre>", Pattern.DOTALL);
    private static final Pattern MEMBER = Pattern.compile(
            "^(@\\w+|(public |protected |private )?(static )?[\\w<>\\[\\], ?]+ \\w+\\([^;]*\\)\\s*(throws [\\w., ]+)?\\{)");

    private static final String IMPORTS = String.join("\n",
            "import io.listenlog.core.*;", "import io.listenlog.jdbc.*;", "import io.listenlog.servlet.*;",
            "import io.listenlog.redis.*;", "import io.listenlog.micrometer.*;", "import io.listenlog.dashboard.*;", "import io.listenlog.geoip.*;",
            "import io.listenlog.spring.boot.*;", "import io.listenlog.testsupport.*;",
            "import jakarta.servlet.*;", "import jakarta.servlet.http.*;", "import javax.sql.DataSource;",
            "import java.time.*;", "import java.util.*;", "import java.util.concurrent.*;", "import java.nio.file.*;",
            "import com.zaxxer.hikari.HikariDataSource;", "import org.flywaydb.core.Flyway;",
            "import org.eclipse.jetty.ee10.servlet.*;", "import org.springframework.context.annotation.*;",
            "import org.springframework.boot.web.servlet.FilterRegistrationBean;",
            "import io.micrometer.core.instrument.MeterRegistry;", "import io.micrometer.core.instrument.Tags;", "");

    /** The host's own classes that examples call. */
    private static final String HOST_CLASSES = "static class RadioDatabase { static ListenStore listenStore() { return null; } }";

    /** The names examples use without declaring them, as a host has them. */
    private static final String GIVEN = String.join("\n",
            "    DataSource dataSource, hostPool, db;", "    ListenLogger listens, logger, listenLogger;",
            "    ListenStore store, listenStore;", "    HttpServletRequest request;", "    ServletContext servletContext;",
            "    long sourceId;", "    String ip, clientIp, userAgent, referrer;", "    String[] trustedProxies;",
            "    ServletContextHandler context;", "    ScheduledExecutorService executor;", "    DailyKeyStore keys;",
            "    MeterRegistry registry;", "    ListenStreamConsumer consumer;", "    ListenLogFilter filter;",
            "    IcecastListenerServlet icecastServlet;", "    ClientClassifier myClassifier;",
            "    JdbcListenStore jdbcStore;", "    RedisStreamListenStore stream;", "    ListenRetention retention;",
            "    boolean yourOwnOptOutControl(HttpServletRequest request) { return false; }",
            "    " + HOST_CLASSES, "");


    private record Example(String where, String code) {
    }

    @Test
    void everyExampleCompiles() throws IOException {
        List<Example> examples = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher block = MARKDOWN.matcher(Files.readString(page));
            while (block.find()) {
                examples.add(new Example(ROOT.relativize(page) + " example " + (examples.size() + 1), block.group(1)));
            }
        }
        int fromDocs = examples.size();
        try (Stream<Path> sources = Files.walk(ROOT)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .sorted().toList()) {
                Matcher block = JAVADOC.matcher(Files.readString(source));
                while (block.find()) {
                    examples.add(new Example(ROOT.relativize(source).toString(), javadoc(block.group(1))));
                }
            }
        }
        assertThat(fromDocs).as("examples in the docs").isGreaterThan(25);
        assertThat(examples.size() - fromDocs).as("examples in the Javadoc").isGreaterThanOrEqualTo(5);

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            String problem = compile(examples.get(i), "Example" + i);
            if (problem != null) {
                failures.add(examples.get(i).where() + ":\n" + examples.get(i).code() + "\n--> " + problem);
            }
        }
        assertThat(failures).as("examples that do not compile").isEmpty();
    }

    /** A Javadoc block's code: without the leading stars, with its HTML and {@code @} escapes undone. */
    private static String javadoc(String block) {
        StringBuilder code = new StringBuilder();
        for (String line : block.split("\n")) {
            code.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
        }
        return code.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .replace("{@literal @}", "@").replace("&#64;", "@");
    }

    /** The compiler's first error, or {@code null} when the example compiles. */
    private static String compile(Example example, String name) {
        String code = example.code().replaceAll("\\{ \\.\\.\\. }", "{ throw new UnsupportedOperationException(); }")
                .replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "");
        String unit;
        if (code.startsWith("package ")) {
            return null;  // a whole file of a project, built and run by QuickstartFromEmptyFolderTest
        } else if (Pattern.compile("(?m)^(public |abstract |final )*(class|interface|record|enum) ").matcher(code).find()
                || code.startsWith("@Configuration")) {
            unit = IMPORTS + code.replaceFirst("(?m)^public (class|interface|record)", "$1") + "\n"
                    + HOST_CLASSES.replace("static class", "class") + "\n";
        } else if (MEMBER.matcher(code.strip()).find()) {
            unit = IMPORTS + "abstract class " + name + " {\n" + GIVEN + code + "\n}\n";
        } else {
            unit = IMPORTS + "abstract class " + name + " {\n" + GIVEN + "    void example() throws Exception {\n"
                    + code + "\n    }\n}\n";
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return unit;
            }
        };
        Path out;
        try {
            out = Files.createTempDirectory("listen-log-examples");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        boolean ok = compiler.getTask(new StringWriter(), null, diagnostics,
                List.of("-proc:none", "-Xlint:none", "-classpath", System.getProperty("java.class.path"), "-d",
                        out.toString()), null, List.of(source)).call();
        if (ok) {
            return null;
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).findFirst()
                .map(d -> d.getMessage(null) + " (line " + d.getLineNumber() + " of:\n" + unit + ")").orElse("failed");
    }
}
