package com.example.quickstart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/quickstart.md true: every code block marked {@code <!-- file: ... | tested in: FILE -->} is, line by
 * line, the file that JettyQuickstartTest or BootQuickstartTest runs, and every dependency of each project's
 * {@code pom.xml} is one this build makes or uses, at the version the page gives.
 */
class QuickstartDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern TESTED_IN = Pattern.compile(
            "<!-- file: \\S+ \\| tested in: (\\S+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern POM = Pattern.compile("<!-- file: (\\w+)/pom.xml -->\\s*\\n```xml\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final Path M2 = Path.of(System.getProperty("user.home"), ".m2", "repository");

    private final String page = read(ROOT.resolve("docs/quickstart.md"));

    @Test
    void everySnippetIsTheCodeTheQuickstartTestsRun() {
        Matcher snippet = TESTED_IN.matcher(page);
        List<String> files = new ArrayList<>();
        while (snippet.find()) {
            List<String> shown = lines(snippet.group(2));
            List<String> source = lines(read(ROOT.resolve(snippet.group(1))));
            assertThat(source).as("docs/quickstart.md shows %s", snippet.group(1)).isEqualTo(shown);
            files.add(snippet.group(1));
        }
        assertThat(files).containsExactlyInAnyOrder(
                "listen-log-spring-boot-starter/src/test/resources/db/migration/V1__radio_source.sql",
                "listen-log-example/src/test/java/com/example/quickstart/JettyRadio.java",
                "listen-log-spring-boot-starter/src/test/java/com/example/quickstart/BootRadio.java");
    }

    @Test
    void everyDependencyOfThePomsExistsAtTheVersionGiven() throws Exception {
        Matcher pom = POM.matcher(page);
        List<String> flavours = new ArrayList<>();
        String projectVersion = text(parse(read(ROOT.resolve("pom.xml"))).getDocumentElement(), "version");
        while (pom.find()) {
            flavours.add(pom.group(1));
            Document doc = parse(pom.group(2));
            NodeList dependencies = doc.getElementsByTagName("dependency");
            assertThat(dependencies.getLength()).isPositive();
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element dependency = (Element) dependencies.item(i);
                String group = text(dependency, "groupId");
                String artifact = text(dependency, "artifactId");
                String version = text(dependency, "version");
                if (group.equals("io.listenlog")) {
                    assertThat(ROOT.resolve(artifact).resolve("pom.xml")).as(artifact + " is a module of this build")
                            .exists();
                    assertThat(version).as(artifact).isIn(null, projectVersion);
                } else if (version != null) {
                    assertThat(M2.resolve(group.replace('.', '/')).resolve(artifact).resolve(version))
                            .as("%s:%s:%s is what this build uses", group, artifact, version).isDirectory();
                } else {
                    assertThat(read(bootDependencies())).as("Spring Boot manages %s:%s", group, artifact)
                            .contains("<artifactId>" + artifact + "</artifactId>");
                }
            }
        }
        assertThat(flavours).containsExactly("jetty", "boot");
    }

    private static Path bootDependencies() {
        return M2.resolve("org/springframework/boot/spring-boot-dependencies/4.1.1/spring-boot-dependencies-4.1.1.pom");
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getParentNode() == parent) {
                return nodes.item(i).getTextContent().strip();
            }
        }
        return null;
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
