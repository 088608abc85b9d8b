package io.listenlog.redis.internal;

import io.listenlog.core.ClientInfo;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.Location;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.internal.InetAddresses;
import io.listenlog.core.internal.JsonReader;
import io.listenlog.core.internal.JsonShape;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stream entry format, version 1: one entry per play ({@code t=p}) or per progress update ({@code t=u}), as flat
 * field-value pairs so that {@code XRANGE} and {@code redis-cli} show them readably. Absent values are left out.
 */
public final class StreamEntries {

    public static final String VERSION = "1";
    /** Set on a progress update the consumer put back because its listen was not stored yet. */
    public static final String ATTEMPT = "n";
    /** More put-backs than any consumer makes: an entry that claims more was not written by one. */
    private static final int MAX_ATTEMPT = 1_000;
    /** Longer than any anonymizer's output (listen-log's write 64 hex digits): not a hash. */
    private static final int MAX_HASH_LENGTH = 128;


    private StreamEntries() {
    }

    /** A decoded entry: exactly one of {@code play} and {@code progress} is set. */
    public record Decoded(@Nullable ListenEvent play, @Nullable ListenProgress progress, int attempt) {
    }

    public static void appendPlay(List<String> out, ListenEvent event) {
        int sizeAt = out.size();
        out.add(null);
        pair(out, "v", VERSION);
        pair(out, "t", "p");
        pair(out, "id", event.listenId().toString());
        pair(out, "src", Long.toString(event.sourceId()));
        pair(out, "at", event.occurredAt().toString());
        pair(out, "ip", event.ipHash());
        pair(out, "ua", event.userAgent());
        pair(out, "ref", event.referrer());
        pair(out, "dur", event.durationSeconds() == null ? null : event.durationSeconds().toString());
        pair(out, "x", event.extra() == null ? null : json(event.extra()));
        ClientInfo client = event.client();
        if (client != null) {
            pair(out, "cc", client.clientClass());
            pair(out, "capp", client.app());
            pair(out, "cplat", client.platform());
        }
        pair(out, "lsn", event.listener());
        Location location = event.location();
        if (location != null) {
            pair(out, "cty", location.country());
            pair(out, "rgn", location.region());
        }
        out.set(sizeAt, Integer.toString(out.size() - sizeAt - 1));
    }

    public static void appendProgress(List<String> out, ListenProgress progress) {
        out.add("8");
        pair(out, "v", VERSION);
        pair(out, "t", "u");
        pair(out, "id", progress.listenId().toString());
        pair(out, "sec", Integer.toString(progress.listenedSeconds()));
    }

    /** The fields of a progress update as an entry body, for putting one back on the stream. */
    public static Map<String, String> progressBody(ListenProgress progress, int attempt) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("v", VERSION);
        body.put("t", "u");
        body.put("id", progress.listenId().toString());
        body.put("sec", Integer.toString(progress.listenedSeconds()));
        body.put(ATTEMPT, Integer.toString(attempt));
        return body;
    }

    /**
     * Reads an entry back, checking it as the logger checks what it captures, since anybody who can write to the
     * stream can write an entry: durations are cut to {@code maxListenSeconds}, and an entry the logger could not
     * have written (an {@code ip} that is an address, a user agent or referrer longer than a capture keeps,
     * a source id that is not positive, a negative duration or put-back count) is refused.
     *
     * @throws IllegalArgumentException saying what is wrong with an entry no store could take
     */
    public static Decoded decode(Map<String, String> body, long maxListenSeconds) {
        if (!VERSION.equals(body.get("v"))) {
            throw new IllegalArgumentException("unknown entry version " + body.get("v") + " (this consumer reads "
                    + VERSION + "); run a consumer of the listen-log version that published it");
        }
        UUID id = UUID.fromString(required(body, "id"));
        String type = required(body, "t");
        int attempt = body.containsKey(ATTEMPT) ? Integer.parseInt(body.get(ATTEMPT)) : 0;
        if (attempt < 0 || attempt > MAX_ATTEMPT) {
            throw new IllegalArgumentException(ATTEMPT + "=" + attempt + " is not a count of put-backs (0 to "
                    + MAX_ATTEMPT + ")");
        }
        if (type.equals("u")) {
            return new Decoded(null, new ListenProgress(id, seconds(required(body, "sec"), maxListenSeconds)),
                    attempt);
        }
        if (!type.equals("p")) {
            throw new IllegalArgumentException("unknown entry type t=" + type);
        }
        String duration = body.get("dur");
        String extra = body.get("x");
        String clientClass = body.get("cc");
        String country = body.get("cty");
        ClientInfo client = clientClass == null ? null
                : new ClientInfo(clientClass.equals("bot"), body.get("capp"), body.get("cplat"));
        long sourceId = Long.parseLong(required(body, "src"));
        if (sourceId <= 0) {
            throw new IllegalArgumentException("src=" + sourceId + " is not a source id (positive)");
        }
        String ip = body.get("ip");
        if (ip != null && (ip.length() > MAX_HASH_LENGTH || InetAddresses.parse(ip) != null)) {
            throw new IllegalArgumentException("ip is not an address hash but " + (ip.length() > MAX_HASH_LENGTH
                    ? "longer than " + MAX_HASH_LENGTH + " characters" : "an address") + ", and a raw address is never"
                    + " stored");
        }
        ListenEvent event = new ListenEvent(id, sourceId, Instant.parse(required(body, "at")), ip,
                atMost(body.get("ua"), ListenRequest.MAX_USER_AGENT_LENGTH, "ua"),
                atMost(body.get("ref"), ListenRequest.MAX_REFERRER_LENGTH, "ref"),
                duration == null ? null : seconds(duration, maxListenSeconds), extra == null ? null : extra(extra),
                client, body.get("lsn"), country == null ? null : new Location(country, body.get("rgn")));
        return new Decoded(event, null, 0);
    }

    /** Listening seconds, cut to the cap as the logger cuts them. */
    private static int seconds(String text, long maxListenSeconds) {
        long seconds = Long.parseLong(text);
        if (seconds < 0) {
            throw new IllegalArgumentException("a listening time is not negative, got " + seconds);
        }
        return (int) Math.min(seconds, maxListenSeconds);
    }

    private static @Nullable String atMost(@Nullable String value, int length, String field) {
        if (value != null && value.length() > length) {
            throw new IllegalArgumentException(field + " is longer than a capture keeps (" + length + " characters)");
        }
        return value;
    }

    /** The play's extra, read back with core's JSON reader and checked as the logger checks it at capture. */
    private static Map<String, Object> extra(String json) {
        if (json.length() > ListenRequest.MAX_EXTRA_JSON_LENGTH) {
            throw new IllegalArgumentException("extra is longer than " + ListenRequest.MAX_EXTRA_JSON_LENGTH);
        }
        if (!(JsonReader.read(json) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("extra is not a JSON object");
        }
        return JsonShape.immutableCopy(map, ListenRequest.MAX_EXTRA_JSON_LENGTH);
    }

    private static String json(Map<String, Object> extra) {
        return JsonShape.toJson(extra);
    }

    private static String required(Map<String, String> body, String field) {
        String value = body.get(field);
        if (value == null) {
            throw new IllegalArgumentException("entry has no field " + field);
        }
        return value;
    }

    private static void pair(List<String> out, String field, @Nullable String value) {
        if (value != null) {
            out.add(field);
            out.add(value);
        }
    }

    /** A list with room for {@code entries} typical entries. */
    public static List<String> newArgs(int entries) {
        return new ArrayList<>(2 + entries * 17);
    }
}
