package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one judgement of whether a configured key (the anonymization key, the listen token key) looks random, so that
 * every place a key enters listen-log refuses the same mistakes with the same words.
 */
public final class KeyChecks {
    public static final int MIN_LENGTH = 16;
    public static final String HOW_TO_GENERATE = "Generate a random one with `openssl rand -hex 32`";
    private static final int MIN_DISTINCT_CHARACTERS = 10;
    /** Words that start keys copied from examples and templates; compared without case or punctuation. */
    private static final List<String> DEFAULT_WORDS = List.of("changeme", "changeit", "replaceme", "password",
            "secret", "example", "default", "placeholder", "yourkey", "yoursecret", "yoursalt", "insert", "todo");
    /** A whole value that is a template: {@code <your key>}, {@code @var@}. */
    private static final Pattern WHOLE_PLACEHOLDER = Pattern.compile("['\"]?(<.*>|@.*@|\\$[A-Za-z_][A-Za-z0-9_]*)['\"]?",
            Pattern.DOTALL);
    /**
     * Shell and template syntax that nothing expanded, anywhere in the value: {@code $(cmd)}, backticks,
     * {@code ${VAR}}, {@code {{ var }}}, {@code %VAR%}.
     */
    private static final Pattern UNEXPANDED = Pattern.compile("\\$\\(|`|\\$\\{|\\{\\{.*}}|%[A-Za-z_][A-Za-z0-9_]*%",
            Pattern.DOTALL);

    private KeyChecks() {
    }

    /** Why {@code key} would be guessable, or {@code null} when it looks random enough. */
    public static @Nullable String weakness(String key) {
        if (key == null || key.isBlank()) {
            return "is missing";
        }
        if (!key.equals(key.strip())) {
            return "has leading or trailing whitespace (often a newline from a file or an echo), which would silently "
                    + "become part of the key: remove it";
        }
        if (WHOLE_PLACEHOLDER.matcher(key).matches() || UNEXPANDED.matcher(key).find()) {
            return "is an unexpanded placeholder or shell command (" + abbreviated(key) + "), not a value: whatever "
                    + "set it (a unit file, a compose file, a .env file) did not run it";
        }
        String letters = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (letters.contains("changeme")) {
            return "contains the placeholder 'change-me'";
        }
        for (String word : DEFAULT_WORDS) {
            if (letters.startsWith(word)) {
                return "is a default or example value ('" + word + "...')";
            }
        }
        if (key.length() < MIN_LENGTH) {
            return "is shorter than " + MIN_LENGTH + " characters";
        }
        if (key.chars().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            return "has fewer than " + MIN_DISTINCT_CHARACTERS + " distinct characters, so it is easy to guess";
        }
        if (isMostlySequence(key)) {
            return "is mostly a run or a sequence of characters (such as abcdef or 123456), so it is easy to guess";
        }
        return null;
    }

    /**
     * Whether three quarters of the steps between neighbouring characters, or more, repeat a character or go to the
     * next or previous one: {@code abcdefghijklmnop}, {@code 1234567890123456}. A random hex key has about 3 such
     * steps in 16.
     */
    private static boolean isMostlySequence(String key) {
        int predictable = 0;
        for (int i = 1; i < key.length(); i++) {
            if (Math.abs(key.charAt(i) - key.charAt(i - 1)) <= 1) {
                predictable++;
            }
        }
        return predictable * 4 >= (key.length() - 1) * 3;
    }

    /** The key's first characters only: a message must not carry a whole secret. */
    private static String abbreviated(String key) {
        return key.length() <= 3 ? key.charAt(0) + "..." : key.substring(0, 3) + "...";
    }
}
