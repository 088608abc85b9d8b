package io.listenlog.core.internal;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.ClientInfo;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@link ClientClassifier#withRules}: the host's own user-agent rules, asked before another classifier. */
public final class HostRules {

    private record Rule(String name, Pattern pattern, boolean bot) {
    }

    private final Path file;
    private final List<Rule> rules;

    private HostRules(Path file, List<Rule> rules) {
        this.file = file;
        this.rules = rules;
    }

    /**
     * @throws IllegalArgumentException when {@code file} is missing or is not a rules file, naming what to change
     * @throws UncheckedIOException     when it cannot be read
     */
    public static HostRules read(Path file) {
        Objects.requireNonNull(file, "rules");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the client rules file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the client rules file " + file + ": " + e.getMessage(), e);
        }
        Object root;
        try {
            root = JsonReader.read(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the client rules file " + file + " is " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("entries") instanceof List<?> entries)) {
            throw new IllegalArgumentException("the client rules file " + file + " must be a JSON object with an "
                    + "\"entries\" array, such as {\"entries\": [{\"name\": \"Station monitor\", \"pattern\": "
                    + "\"^StationMonitor/\", \"bot\": true}]}");
        }
        List<Rule> rules = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            rules.add(rule(file, i, entries.get(i)));
        }
        return new HostRules(file, List.copyOf(rules));
    }

    private static Rule rule(Path file, int index, @Nullable Object item) {
        String where = "entry " + index + " of the client rules file " + file;
        if (!(item instanceof Map<?, ?> entry) || !(entry.get("name") instanceof String name) || name.isBlank()
                || !(entry.get("pattern") instanceof String pattern) || !(entry.get("bot") instanceof Boolean bot)) {
            throw new IllegalArgumentException(where + " needs a \"name\" (text), a \"pattern\" (a Java regular "
                    + "expression found in the user agent) and \"bot\" (true or false), got " + item);
        }
        try {
            return new Rule(name, Pattern.compile(OpawgClassifier.forFind(pattern)), bot);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": the pattern of " + name + " is not a regular expression: "
                    + e.getDescription(), e);
        }
    }

    /** A classifier that asks these rules first and {@code next} for the rest, and for a player's platform. */
    public ClientClassifier before(ClientClassifier next) {
        Objects.requireNonNull(next, "next");
        return new ClientClassifier() {
            @Override
            public ClientInfo classify(@Nullable String userAgent) {
                return classify(userAgent, null);
            }

            @Override
            public ClientInfo classify(@Nullable String userAgent, @Nullable String referrer) {
                if (userAgent != null) {
                    for (Rule rule : rules) {
                        if (rule.pattern.matcher(userAgent).find()) {
                            return rule.bot ? new ClientInfo(true, rule.name, null)
                                    : new ClientInfo(false, rule.name, next.classify(userAgent, referrer).platform());
                        }
                    }
                }
                return next.classify(userAgent, referrer);
            }

            @Override
            public String toString() {
                return rules.size() + " rule(s) of " + file + ", then " + next;
            }
        };
    }
}
