package io.listenlog.core;

import io.listenlog.core.internal.HostRules;
import io.listenlog.core.internal.OpawgClassifier;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;

/**
 * Tells people's players from bots by their user agent, on the logger's writer thread (never on the request thread).
 * Implement it to plug in a classifier of your own; it must be thread-safe and should not block.
 *
 * <p>The default, {@link #opawg()}, uses the Open Podcast Analytics Working Group's user-agents-v2 lists, made for
 * audio: unlike web-bot lists, they count Winamp, VLC, ffmpeg/Lavf, ExoPlayer or NSPlayer as players, not bots.
 */
@FunctionalInterface
public interface ClientClassifier {

    /**
     * @param userAgent the normalized user agent, or {@code null} when the request had none
     * @return never {@code null}
     */
    ClientInfo classify(@Nullable String userAgent);

    /**
     * As {@link #classify(String)}, knowing where the request came from: a web player that sends its browser's user
     * agent is told apart by the page that embeds it. The logger calls this one; by default it ignores the referrer.
     *
     * @param referrer the referrer's origin, {@code scheme://host/} lowercased (never its path or query), or
     *                 {@code null} when the request had none
     * @return never {@code null}
     */
    default ClientInfo classify(@Nullable String userAgent, @Nullable String referrer) {
        return classify(userAgent);
    }

    /**
     * This classifier behind the host's own rules, read once from {@code rules}: the first rule whose pattern is
     * found in the user agent decides, a bot or a person's player of that name, before this classifier is asked, so
     * a rule adds a client the lists lack or overrides one of their entries. The file is JSON,
     * {@code {"entries": [{"name": "Station monitor", "pattern": "^StationMonitor/", "bot": true}]}}, as
     * docs/core.md describes.
     *
     * @throws IllegalArgumentException when the file is not such a file, naming the entry and what to change
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    default ClientClassifier withRules(Path rules) {
        return HostRules.read(rules).before(this);
    }

    /**
     * The OPAWG user-agents-v2 lists shipped in this jar (MIT; version and notice in
     * {@code META-INF/listen-log/opawg/SOURCE.md} and {@code LICENSE}). Matching follows their rule: bots, then
     * apps, then libraries, then browsers, the first entry matched wins; a library whose category is {@code bot}
     * is a bot, except ffmpeg ({@code Lavf/}), which on a live stream is a player (mpv, ffplay, TuneIn); a match that
     * is not a bot is matched against the devices list for its platform. A user agent that matches no entry but
     * names itself a bot, crawler, spider or scraper ({@code Discordbot/2.0}, {@code PRX-Porterbot}) is a bot; one
     * that matches nothing else is a person's client of unknown app; a missing one is a bot. A browser, or a client
     * of unknown app, whose referrer matches the {@code referrers.json} list is the web player that list names
     * ({@code Spotify}, {@code Apple Podcasts}).
     */
    static ClientClassifier opawg() {
        return OpawgClassifier.shipped();
    }

    /**
     * The same rules over a newer copy of the lists, with no new release of listen-log: a directory holding
     * {@code bots.json}, {@code apps.json}, {@code libraries.json}, {@code browsers.json} and {@code devices.json}
     * (and, optionally, {@code referrers.json}) from the {@code opawg/user-agents-v2} repository.
     *
     * @throws IllegalArgumentException when a file is missing or not a patterns file, naming it
     */
    static ClientClassifier opawg(Path directory) {
        return OpawgClassifier.fromDirectory(directory);
    }
}
