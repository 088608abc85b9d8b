package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/** The methodology statement {@code ListenStats.methodology} gives a station to publish beside its figures. */
public final class Methodology {

    private Methodology() {
    }

    public static String text(Duration minimumListen, Duration retention, boolean dailyKeys,
                              @Nullable String countryDatabase) {
        long seconds = minimumListen.getSeconds();
        String minimum = seconds == 0 ? "any length" : seconds % 60 == 0
                ? (seconds / 60) + (seconds == 60 ? " minute" : " minutes") : seconds + " seconds";
        return "Listening is measured by listen-log on our own servers. Each time a player starts one of our streams,"
                + " one listen is recorded with its start time, its duration as reported while it plays, a keyed hash"
                + " of the client address and the player's user agent. User agents are classified with the Open"
                + " Podcast Analytics Working Group's user-agents-v2 lists; listens by known bots, crawlers, link"
                + " previews, stream monitors and scripted clients, of clients that call themselves a bot, crawler,"
                + " spider or scraper, and listens without a user agent, are excluded."
                + " A session is a listen by a person lasting " + (seconds == 0 ? "any length" : "at least " + minimum)
                + ". Total Listening Hours sum the session time within each period; Average Active Sessions divide"
                + " it by the period's length; Cume counts distinct listeners with at least one session in the"
                + " period, a listener being the hashed address together with the user agent (listens recorded"
                + " before that rule, or under the address-only rule, by the hashed address alone)" + (dailyKeys ? " (each UTC day: the keys rotate daily, so a person is counted once per"
                + " day)" : "") + "; Time Spent Listening divides listening time by Cume; Average Quarter-Hour"
                + " averages, over the period's quarter-hours, the listeners with at least five minutes of listening"
                + " in each." + (countryDatabase == null ? "" : " Countries and regions are looked up from the client"
                + " address in " + countryDatabase + " before the address is hashed; only the country and region"
                + " codes are kept.") + " All periods are UTC days and hours. Raw listens are kept " + retention.toDays()
                + " days; daily and hourly figures are kept after that. Figures are not audited by a third party.";
    }
}
