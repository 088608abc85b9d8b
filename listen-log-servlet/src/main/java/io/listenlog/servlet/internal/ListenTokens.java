package io.listenlog.servlet.internal;

import io.listenlog.core.internal.Referrers;
import org.jspecify.annotations.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Signed listen tokens: a listen id, its source id, its start (to the millisecond) and the page's referrer, cleaned
 * as the logger cleans it (no credentials, query or fragment, at most {@value #MAX_REFERRER_LENGTH} characters), with
 * an HMAC-SHA256 (cut to 16 bytes) under the deployment's key, base64url. Signed, not encrypted: they carry nothing
 * the page does not know.
 */
public final class ListenTokens {
    private static final int MAC_BYTES = 16;
    /** The logger's default {@code maxReferrerLength}. */
    public static final int MAX_REFERRER_LENGTH = 1_024;
    private static final int HEADER_BYTES = 32;
    /** The longest token: a referrer of {@value #MAX_REFERRER_LENGTH} characters of three UTF-8 bytes each. */
    public static final int MAX_TOKEN_CHARS = (HEADER_BYTES + 3 * MAX_REFERRER_LENGTH + MAC_BYTES + 2) / 3 * 4;

    /** What a valid token says. */
    public record Token(UUID listenId, long sourceId, Instant start, @Nullable String referrer) {
    }

    /** The purpose a token key derived from the anonymization key is made for. */
    public static final String PURPOSE = "listen-log listen tokens v1";

    private final Function<Instant, byte[]> keyAt;
    private final Map<LocalDate, Mac> keysByDay = new ConcurrentHashMap<>();

    /** Tokens signed with one key: the configured one. */
    public ListenTokens(byte[] key) {
        this(constant(key.clone()));
        if (key.length < 16) {
            throw new IllegalArgumentException("the listen token key must have at least 16 bytes (32 hex digits):"
                    + " generate one with openssl rand -hex 32");
        }
    }

    private static Function<Instant, byte[]> constant(byte[] key) {
        return start -> key;
    }

    /**
     * Tokens signed with the key in force at their start (a daily key, for instance), or refused when {@code keyAt}
     * answers {@code null} for their start.
     */
    public ListenTokens(Function<Instant, byte[]> keyAt) {
        this.keyAt = keyAt;
    }

    /** The day's key, remembered for the few days tokens live. */
    private @Nullable Mac keyFor(Instant start) {
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        Mac key = keysByDay.get(day);
        if (key == null) {
            byte[] bytes = keyAt.apply(start);
            if (bytes == null) {
                return null;
            }
            if (keysByDay.size() > 8) {
                keysByDay.clear();
            }
            key = initialized(new SecretKeySpec(bytes, "HmacSHA256"));
            keysByDay.put(day, key);
        }
        return key;
    }

    public String issue(UUID listenId, long sourceId, Instant start, @Nullable String referrer) {
        String cleaned = Referrers.clean(referrer, false, MAX_REFERRER_LENGTH);
        byte[] ref = cleaned == null ? new byte[0] : cleaned.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(HEADER_BYTES + ref.length);
        body.putLong(listenId.getMostSignificantBits()).putLong(listenId.getLeastSignificantBits())
                .putLong(sourceId).putLong(start.toEpochMilli()).put(ref);
        byte[] payload = body.array();
        byte[] token = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        Mac key = keyFor(start);
        if (key == null) {
            throw new IllegalStateException("no token key for " + start);
        }
        System.arraycopy(mac(key, payload), 0, token, payload.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The token's contents, or {@code null} when it is malformed or its signature does not match. */
    public @Nullable Token verify(@Nullable String text) {
        if (text == null || text.length() > MAX_TOKEN_CHARS) {
            return null;
        }
        byte[] token;
        try {
            token = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (token.length < HEADER_BYTES + MAC_BYTES) {
            return null;
        }
        byte[] payload = Arrays.copyOf(token, token.length - MAC_BYTES);
        Mac key = keyFor(Instant.ofEpochMilli(ByteBuffer.wrap(payload, 24, 8).getLong()));
        if (key == null) {
            return null;
        }
        byte[] expected = Arrays.copyOf(mac(key, payload), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(token, payload.length, token.length))) {
            return null;
        }
        ByteBuffer body = ByteBuffer.wrap(payload);
        UUID listenId = new UUID(body.getLong(), body.getLong());
        long sourceId = body.getLong();
        Instant start = Instant.ofEpochMilli(body.getLong());
        String referrer = payload.length > HEADER_BYTES
                ? new String(payload, HEADER_BYTES, payload.length - HEADER_BYTES, StandardCharsets.UTF_8) : null;
        return new Token(listenId, sourceId, start, referrer);
    }

    /**
     * The HMAC-SHA256 of {@code payload} under the key in force at {@code at}, the same on every instance of the
     * deployment; {@code null} when there is no key for {@code at}.
     */
    public byte @Nullable [] sign(Instant at, byte[] payload) {
        Mac key = keyFor(at);
        return key == null ? null : mac(key, payload);
    }

    private static Mac initialized(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /**
     * A copy of the day's initialized MAC does the work: looking the algorithm up and keying it at every call cost
     * more than the MAC itself (a segment request verifies a token each time).
     */
    private static byte[] mac(Mac key, byte[] payload) {
        Mac mac;
        try {
            mac = (Mac) key.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the runtime's HmacSHA256 cannot be copied", e);
        }
        return mac.doFinal(payload);
    }
}
