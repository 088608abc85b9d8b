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
    private static final String REFERRERS = "referrers.json";
    /**
     * Libraries the lists mark as bots (they were made for podcast downloads) that are players on a live stream:
     * ffmpeg's default user agent ({@code Lavf/}) is what mpv, ffplay, TuneIn and many set-top players send.
     */
    public static final Set<String> PLAYER_LIBRARIES = Set.of("ffmpeg");
    private static volatile @Nullable OpawgClassifier shipped;
    /**
     * What a client that no list entry knows calls itself when it is one: {@code Discordbot/2.0},
     * {@code PRX-Porterbot}, {@code archive.org_bot}, a "crawler", "spider" or "scraper".
     */
    private static final Pattern SELF_NAMED_BOT = Pattern.compile("(?i)bot\\b|crawler|spider|scraper");

    /** Matched in this order; the first entry that matches wins. */
    private final List<Entry> clients;
    private final List<Entry> devices;
    /** Matched against a browser's (or an unknown client's) referrer origin: web players inside a browser. */
    private final List<Entry> referrers;

    private record Entry(String name, Pattern pattern, LiteralPrefilter prefilter, boolean bot, boolean browser) {
        boolean matches(String text) {
            return prefilter.mayMatch(text) && pattern.matcher(text).find();
        }
    }

    private OpawgClassifier(List<Entry> clients, List<Entry> devices, List<Entry> referrers) {
        this.clients = clients;
        this.devices = devices;
        this.referrers = referrers;
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
                if (file.equals(REFERRERS)) {
                    return null;  // older copies of the lists have none
                }
                throw new IllegalArgumentException(directory.resolve(file) + " is missing: the directory must hold "
                        + "bots.json, apps.json, libraries.json, browsers.json and devices.json of opawg/user-agents-v2",
                        e);
            }
        });
    }

    private interface Source {
        /** @return the file's text, or {@code null} when an optional file is missing */
        @Nullable String read(String file) throws IOException;
    }

    private static OpawgClassifier load(Source source) {
        try {
            List<Entry> clients = new ArrayList<>();
            clients.addAll(entries(source, "bots.json", true, false));
            clients.addAll(entries(source, "apps.json", false, false));
            clients.addAll(entries(source, "libraries.json", false, false));
            clients.addAll(entries(source, "browsers.json", false, true));
            return new OpawgClassifier(List.copyOf(clients), entries(source, "devices.json", false, false),
                    entries(source, REFERRERS, false, false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OPAWG user-agent lists: " + e.getMessage(), e);
        }
    }

    private static List<Entry> entries(Source source, String file, boolean bots, boolean browsers)
            throws IOException {
        String text = source.read(file);
        if (text == null) {
            return List.of();
        }
        Object root;
        try {
            root = JsonReader.read(text);
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
                entries.add(new Entry(name, Pattern.compile(forFind(pattern)), LiteralPrefilter.of(pattern), bot,
                        browsers));
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
        return classify(userAgent, null);
    }

    @Override
    public ClientInfo classify(@Nullable String userAgent, @Nullable String referrer) {
        if (userAgent == null || userAgent.isBlank()) {
            return new ClientInfo(true, null, null);
        }
        for (Entry entry : clients) {
            if (entry.matches(userAgent)) {
                if (entry.bot) {
                    return new ClientInfo(true, entry.name, null);
                }
                String app = entry.browser ? webPlayer(referrer) : null;
                return new ClientInfo(false, app != null ? app : entry.name, platform(userAgent));
            }
        }
        if (SELF_NAMED_BOT.matcher(userAgent).find()) {
            return new ClientInfo(true, null, null);
        }
        return new ClientInfo(false, webPlayer(referrer), platform(userAgent));
    }

    private @Nullable String webPlayer(@Nullable String referrer) {
        if (referrer != null) {
            for (Entry entry : referrers) {
                if (entry.matches(referrer)) {
                    return entry.name;
                }
            }
        }
        return null;
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
        return "OPAWG user-agents-v2 classifier (" + clients.size() + " client, " + devices.size() + " device and "
                + referrers.size() + " referrer patterns)";
    }
}
