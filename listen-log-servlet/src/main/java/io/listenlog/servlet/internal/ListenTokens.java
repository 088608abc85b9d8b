package io.listenlog.servlet.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Signed listen tokens: a listen id, its source id, its start and the page's referrer, with an HMAC-SHA256 (cut to
 * 16 bytes) under the deployment's key, base64url. Signed, not encrypted: they carry nothing the page does not know.
 */
public final class ListenTokens {
    private static final int MAC_BYTES = 16;
    private static final int MAX_REFERRER_BYTES = 512;

    /** What a valid token says. */
    public record Token(UUID listenId, long sourceId, Instant start, String referrer) {
    }

    private final SecretKeySpec key;

    public ListenTokens(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the listen token key must have at least 16 bytes (32 hex digits):"
                    + " generate one with openssl rand -hex 32");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String issue(UUID listenId, long sourceId, Instant start, String referrer) {
        byte[] ref = referrer == null ? new byte[0] : referrer.getBytes(StandardCharsets.UTF_8);
        if (ref.length > MAX_REFERRER_BYTES) {
            ref = Arrays.copyOf(ref, MAX_REFERRER_BYTES);
        }
        ByteBuffer body = ByteBuffer.allocate(32 + ref.length);
        body.putLong(listenId.getMostSignificantBits()).putLong(listenId.getLeastSignificantBits())
                .putLong(sourceId).putLong(start.getEpochSecond()).put(ref);
        byte[] payload = body.array();
        byte[] token = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        System.arraycopy(mac(payload), 0, token, payload.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The token's contents, or {@code null} when it is malformed or its signature does not match. */
    public Token verify(String text) {
        if (text == null || text.length() > 1_024) {
            return null;
        }
        byte[] token;
        try {
            token = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (token.length < 32 + MAC_BYTES) {
            return null;
        }
        byte[] payload = Arrays.copyOf(token, token.length - MAC_BYTES);
        byte[] expected = Arrays.copyOf(mac(payload), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(token, payload.length, token.length))) {
            return null;
        }
        ByteBuffer body = ByteBuffer.wrap(payload);
        UUID listenId = new UUID(body.getLong(), body.getLong());
        long sourceId = body.getLong();
        Instant start = Instant.ofEpochSecond(body.getLong());
        String referrer = payload.length > 32 ? new String(payload, 32, payload.length - 32, StandardCharsets.UTF_8)
                : null;
        return new Token(listenId, sourceId, start, referrer);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
