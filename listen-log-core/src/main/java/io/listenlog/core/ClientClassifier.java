package io.listenlog.core;

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
     * The OPAWG user-agents-v2 lists shipped in this jar (MIT; version and notice in
     * {@code META-INF/listen-log/opawg/SOURCE.md} and {@code LICENSE}). Matching follows their rule: bots, then
     * apps, then libraries, then browsers, the first entry matched wins; a library whose category is {@code bot}
     * is a bot, except ffmpeg ({@code Lavf/}), which on a live stream is a player (mpv, ffplay, TuneIn); a match that
     * is not a bot is matched against the devices list for its platform. A user agent that matches nothing is a
     * person's client of unknown app; a missing one is a bot.
     */
    static ClientClassifier opawg() {
        return OpawgClassifier.shipped();
    }

    /**
     * The same rules over a newer copy of the lists: a directory holding {@code bots.json}, {@code apps.json},
     * {@code libraries.json}, {@code browsers.json} and {@code devices.json} from the {@code opawg/user-agents-v2}
     * repository.
     *
     * @throws IllegalArgumentException when a file is missing or not a patterns file, naming it
     */
    static ClientClassifier opawg(Path directory) {
        return OpawgClassifier.fromDirectory(directory);
    }
}
