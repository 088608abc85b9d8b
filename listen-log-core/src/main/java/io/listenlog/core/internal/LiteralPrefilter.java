package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * A cheap necessary condition for a regular expression to find a match: for each top-level alternative, the literal
 * text it cannot match without (a prefix when the alternative is anchored with {@code ^}, else its longest literal
 * run). A user agent that contains none of them cannot match, and the regular expression is not run: most of the
 * OPAWG patterns are literal names, and running a thousand of them costs half a millisecond per user agent.
 *
 * <p>Conservative by construction: an alternative it cannot read (groups, classes, flags, escapes it does not know)
 * yields no condition, and then the pattern is always run.
 */
final class LiteralPrefilter {
    /** One alternative's required text; {@code anchored} when it must be at the start of the input. */
    private record Required(String text, boolean anchored) {
    }

    private final @Nullable List<Required> alternatives;  // null: no condition, always run the pattern

    private LiteralPrefilter(@Nullable List<Required> alternatives) {
        this.alternatives = alternatives;
    }

    static LiteralPrefilter of(String regex) {
        List<Required> required = new ArrayList<>();
        for (String alternative : alternatives(regex)) {
            Required r = requiredText(alternative);
            if (r == null) {
                return new LiteralPrefilter(null);
            }
            required.add(r);
        }
        return new LiteralPrefilter(List.copyOf(required));
    }

    /** {@code false} only when the pattern certainly cannot find a match in {@code input}. */
    boolean mayMatch(String input) {
        if (alternatives == null) {
            return true;
        }
        for (Required r : alternatives) {
            if (r.anchored ? input.startsWith(r.text) : input.contains(r.text)) {
                return true;
            }
        }
        return false;
    }

    /** The top-level alternatives, those of a group that is a whole alternative included ({@code (a|b)} is a|b). */
    private static List<String> alternatives(String regex) {
        List<String> result = new ArrayList<>();
        for (String alternative : topLevelAlternatives(regex)) {
            if (alternative.startsWith("(") && !alternative.startsWith("(?")
                    && groupEnd(alternative, 0) == alternative.length() - 1) {
                result.addAll(alternatives(alternative.substring(1, alternative.length() - 1)));
            } else {
                result.add(alternative);
            }
        }
        return result;
    }

    /** The index of the {@code )} or {@code ]} closing the group or class opened at {@code open}, or -1. */
    private static int groupEnd(String regex, int open) {
        int depth = 0;
        boolean inClass = false;
        for (int i = open; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                    if (regex.charAt(open) == '[') {
                        return i;
                    }
                }
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The alternatives split at {@code |} outside groups and classes. */
    private static List<String> topLevelAlternatives(String regex) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(' || c == '[') {
                int end = groupEnd(regex, i);
                if (end < 0) {
                    break;  // unbalanced: what follows is one alternative
                }
                i = end;
            } else if (c == '|') {
                parts.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(regex.substring(start));
        return parts;
    }

    /**
     * The text an alternative cannot match without, or {@code null} when there is none worth checking (shorter than
     * two characters) or the alternative has syntax this reader does not follow.
     */
    private static @Nullable Required requiredText(String alternative) {
        boolean anchored = alternative.startsWith("^");
        int i = anchored ? 1 : 0;
        String best = "";
        boolean bestAnchored = false;
        StringBuilder run = new StringBuilder();
        boolean runAtStart = anchored;
        while (i < alternative.length()) {
            char c = alternative.charAt(i);
            String literal = null;
            int next = i + 1;
            if (c == '\\') {
                if (next >= alternative.length()) {
                    return null;
                }
                char e = alternative.charAt(next);
                if ("\\/.-+*?()[]{}|^$ ;:_,'\"!@#%&=<>~`".indexOf(e) >= 0) {
                    literal = String.valueOf(e);
                }
                next++;
            } else if (c == '(' || c == '[') {
                // A group or class: not read, but what follows it is still required.
                int end = groupEnd(alternative, i);
                if (end < 0 || alternative.startsWith("(?", i)) {
                    return requiredOrNull(best, bestAnchored, run, runAtStart);
                }
                next = end + 1;
            } else if (".$^|)]}".indexOf(c) < 0 && "*+?{".indexOf(c) < 0) {
                literal = String.valueOf(c);
            }
            char quantifier = next < alternative.length() ? alternative.charAt(next) : '\0';
            boolean optional = quantifier == '*' || quantifier == '?' || quantifier == '{';
            if (literal != null && !optional) {
                run.append(literal);
                if (quantifier == '+') {
                    literal = null;  // repeated: the run ends after one
                    next++;
                }
            }
            if (literal == null || optional) {
                if (run.length() > best.length()) {
                    best = run.toString();
                    bestAnchored = runAtStart;
                }
                run.setLength(0);
                runAtStart = false;
                if (optional) {
                    next = skipQuantifier(alternative, next);
                }
            }
            i = next;
        }
        return requiredOrNull(best, bestAnchored, run, runAtStart);
    }

    private static @Nullable Required requiredOrNull(String best, boolean bestAnchored, StringBuilder run,
                                                     boolean runAtStart) {
        if (run.length() > best.length()) {
            best = run.toString();
            bestAnchored = runAtStart;
        }
        return best.length() >= 2 ? new Required(best, bestAnchored) : null;
    }

    private static int skipQuantifier(String s, int at) {
        if (s.charAt(at) == '{') {
            int close = s.indexOf('}', at);
            at = close < 0 ? s.length() : close;
        }
        at++;
        if (at < s.length() && (s.charAt(at) == '?' || s.charAt(at) == '+')) {
            at++;  // lazy or possessive
        }
        return at;
    }
}
