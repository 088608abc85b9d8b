package io.listenlog.core.internal;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.ClientInfo;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@link ClientClassifier#opawg()}: the OPAWG user-agents-v2 lists and their matching rule. */
public final class OpawgClassifier implements ClientClassifier {

    private static final String SHIPPED = "/META-INF/listen-log/opawg/";
    /**
     * Libraries the lists mark as bots (they were made for podcast downloads) that are players on a live stream:
     * ffmpeg's default user agent ({@code Lavf/}) is what mpv, ffplay, TuneIn and many set-top players send.
     */
    public static final Set<String> PLAYER_LIBRARIES = Set.of("ffmpeg");
    private static volatile @Nullable OpawgClassifier shipped;

    /** Matched in this order; the first entry that matches wins. */
    private final List<Entry> clients;
    private final List<Entry> devices;

    private record Entry(String name, Pattern pattern, LiteralPrefilter prefilter, boolean bot) {
        boolean matches(String userAgent) {
            return prefilter.mayMatch(userAgent) && pattern.matcher(userAgent).find();
        }
    }

    private OpawgClassifier(List<Entry> clients, List<Entry> devices) {
        this.clients = clients;
        this.devices = devices;
    }

    public static OpawgClassifier shipped() {
        OpawgClassifier classifier = shipped;
        if (classifier == null) {
            classifier = load(file -> {
                try (InputStream in = OpawgClassifier.class.getResourceAsStream(SHIPPED + file)) {
                    if (in == null) {
                        throw new IllegalStateException("listen-log-core's jar lacks " + SHIPPED + file);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            });
            shipped = classifier;
        }
        return classifier;
    }

    public static OpawgClassifier fromDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return load(file -> {
            try {
                return Files.readString(directory.resolve(file));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(directory.resolve(file) + " is missing: the directory must hold "
                        + "bots.json, apps.json, libraries.json, browsers.json and devices.json of opawg/user-agents-v2",
                        e);
            }
        });
    }

    private interface Source {
        String read(String file) throws IOException;
    }

    private static OpawgClassifier load(Source source) {
        try {
            List<Entry> clients = new ArrayList<>();
            clients.addAll(entries(source, "bots.json", true));
            clients.addAll(entries(source, "apps.json", false));
            clients.addAll(entries(source, "libraries.json", false));
            clients.addAll(entries(source, "browsers.json", false));
            return new OpawgClassifier(List.copyOf(clients), entries(source, "devices.json", false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OPAWG user-agent lists: " + e.getMessage(), e);
        }
    }

    private static List<Entry> entries(Source source, String file, boolean bots) throws IOException {
        Object root;
        try {
            root = JsonReader.read(source.read(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("entries") instanceof List<?> list)) {
            throw new IllegalArgumentException(file + " is not an OPAWG patterns file: it has no \"entries\" array");
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("name") instanceof String name)
                    || !(entry.get("pattern") instanceof String pattern)) {
                throw new IllegalArgumentException(file + " has an entry without a name or pattern: " + item);
            }
            try {
                boolean bot = bots || "bot".equals(entry.get("category")) && !PLAYER_LIBRARIES.contains(name);
                entries.add(new Entry(name, Pattern.compile(forFind(pattern)), LiteralPrefilter.of(pattern), bot));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(file + ": the pattern of " + name + " is not a regular expression: "
                        + e.getDescription(), e);
            }
        }
        return List.copyOf(entries);
    }

    /**
     * The same matches under {@code find()} without the quadratic cost of a leading {@code .*} or {@code .+}: the
     * engine would retry it from every position. (User agents reach the classifier without line terminators.)
     */
    static String forFind(String pattern) {
        if (pattern.startsWith(".*") && !pattern.startsWith(".*?") && !pattern.contains("|")) {
            return pattern.substring(2);
        }
        if (pattern.startsWith(".+") && !pattern.startsWith(".+?") && !pattern.contains("|")) {
            return "(?<=.)" + pattern.substring(2);
        }
        return pattern;
    }

    @Override
    public ClientInfo classify(@Nullable String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new ClientInfo(true, null, null);
        }
        for (Entry entry : clients) {
            if (entry.matches(userAgent)) {
                return entry.bot ? new ClientInfo(true, entry.name, null)
                        : new ClientInfo(false, entry.name, platform(userAgent));
            }
        }
        return new ClientInfo(false, null, platform(userAgent));
    }

    private @Nullable String platform(String userAgent) {
        for (Entry device : devices) {
            if (device.matches(userAgent)) {
                return device.name;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "OPAWG user-agents-v2 classifier (" + clients.size() + " client and " + devices.size()
                + " device patterns)";
    }
}
