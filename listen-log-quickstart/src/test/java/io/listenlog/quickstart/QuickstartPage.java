package io.listenlog.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/quickstart.md read as a newcomer reads it: the code blocks marked {@code <!-- file: host/path -->} are the
 * files of each host's project, the blocks marked {@code <!-- run: host -->} the commands that run it.
 */
final class QuickstartPage {
    static final Path PAGE = Path.of("..", "docs", "quickstart.md");
    private static final Pattern FILE = Pattern.compile(
            "<!-- file: (\\w+)/(\\S+)(?: \\| tested in: \\S+)? -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern RUN = Pattern.compile("<!-- run: (\\w+) -->\\s*\\n```sh\\n(.*?)\\n```", Pattern.DOTALL);

    private final String text;

    QuickstartPage() {
        try {
            text = Files.readString(PAGE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of {@code host}'s project, by path inside it, in the page's order. */
    Map<String, String> files(String host) {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher file = FILE.matcher(text);
        while (file.find()) {
            if (file.group(1).equals(host)) {
                files.put(file.group(2), file.group(3) + "\n");
            }
        }
        return files;
    }

    /** The lines of {@code host}'s run block. */
    List<String> commands(String host) {
        Matcher run = RUN.matcher(text);
        while (run.find()) {
            if (run.group(1).equals(host)) {
                return run.group(2).lines().map(String::strip).toList();
            }
        }
        throw new AssertionError("docs/quickstart.md has no <!-- run: " + host + " --> block");
    }

    /** Writes {@code host}'s files into {@code folder}, which is empty. */
    void writeProject(String host, Path folder) throws IOException {
        for (Map.Entry<String, String> file : files(host).entrySet()) {
            Path target = folder.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
    }
}
