package io.listenlog.core;

import org.jspecify.annotations.Nullable;


/**
 * What a {@link ClientClassifier} made of a user agent: a person's player or a bot, which app or browser, which
 * device or platform family. Stored with each listen (columns {@code client_class}, {@code client_app},
 * {@code client_platform}), so that audience figures leave bots out.
 *
 * @param bot      {@code true} for crawlers, link previews, stream monitors, HTTP libraries used by scripts, and
 *                 requests without a user agent
 * @param app      the app, player, library or browser, such as {@code "VLC"} or {@code "Chrome"}; {@code null} when
 *                 unknown
 * @param platform the device or platform family, such as {@code "Android Phone"} or {@code "Windows Computer"};
 *                 {@code null} when unknown
 */
public record ClientInfo(boolean bot, @Nullable String app, @Nullable String platform) {

    /** A client nothing is known about but that it is not a known bot. */
    public static final ClientInfo UNKNOWN_PERSON = new ClientInfo(false, null, null);

    /** The value of the {@code client_class} column: {@code "bot"} or {@code "person"}. */
    public String clientClass() {
        return bot ? "bot" : "person";
    }
}
