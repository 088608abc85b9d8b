package io.listenlog.core;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a listener was, as precisely as listen-log ever stores it: a country and, where the database has it, its
 * first-level region. Nothing finer (no city, no coordinates) is kept. Stored with each listen (columns
 * {@code country} and {@code region}).
 *
 * @param country the ISO 3166-1 alpha-2 code, upper case, such as {@code "FR"}
 * @param region  the ISO 3166-2 code of the first-level subdivision, such as {@code "FR-IDF"}, or {@code null} when
 *                the database has none
 */
public record Location(String country, @Nullable String region) {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern SUBDIVISION = Pattern.compile("[A-Z0-9]{1,3}");

    public Location {
        Objects.requireNonNull(country, "country");
        if (!COUNTRY.matcher(country).matches()) {
            throw new IllegalArgumentException("country must be an ISO 3166-1 alpha-2 code of two upper-case letters,"
                    + " such as \"FR\", got \"" + country + "\"");
        }
        if (region != null && !(region.length() > 3 && region.startsWith(country + "-")
                && SUBDIVISION.matcher(region.substring(3)).matches())) {
            throw new IllegalArgumentException("region must be an ISO 3166-2 code of the country, such as \""
                    + country + "-" + "XX\" (1 to 3 letters or digits after the dash), got \"" + region + "\"");
        }
    }

    /** A country without a region. */
    public static Location of(String country) {
        return new Location(country, null);
    }
}
