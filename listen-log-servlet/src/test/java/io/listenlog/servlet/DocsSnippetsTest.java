package io.listenlog.servlet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/servlet.md honest: a code block preceded by {@code <!-- tested in: FILE -->} must appear, line by line
 * (indentation aside), in that file of this module; with {@code from "A" to "B"} only its lines from the one that
 * contains A to the next one that contains B.
 */
class DocsSnippetsTest {

    private static final Pattern MARKER = Pattern.compile(
            "<!-- tested in: (\\S+)(?: from \"([^\"]+)\" to \"([^\"]+)\")? -->\\s*\\n```[a-z]*\\n(.*?)\\n```",
            Pattern.DOTALL);

    @Test
    void everyRegistrationSnippetIsTheCodeTheTestsRun() throws IOException {
        String docs = Files.readString(Path.of("../docs/servlet.md"));
        Matcher snippet = MARKER.matcher(docs);
        List<String> checked = new ArrayList<>();
        while (snippet.find()) {
            String file = snippet.group(1);
            List<String> lines = lines(snippet.group(4));
            if (snippet.group(2) != null) {
                lines = excerpt(lines, snippet.group(2), snippet.group(3));
            }
            List<String> source = lines(Files.readString(Path.of(file)));
            assertThat(Collections.indexOfSubList(source, lines))
                    .as("docs/servlet.md snippet for %s:%n%s", file, String.join("\n", lines))
                    .isNotNegative();
            checked.add(file);
        }
        assertThat(checked).containsExactlyInAnyOrder(
                "src/test/java/io/listenlog/servlet/JettyContainer.java",
                "src/test/resources/webapp/WEB-INF/web.xml",
                "src/test/java/com/example/radio/ListenLogSetup.java",
                "src/test/java/io/listenlog/servlet/SpringBootSnippetTest.java");
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static List<String> excerpt(List<String> lines, String from, String to) {
        int start = indexOf(lines, from, 0);
        return lines.subList(start, indexOf(lines, to, start) + 1);
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in " + lines);
    }
}
