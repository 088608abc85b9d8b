package io.listenlog.core.internal;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.GeoLookup;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenerIdentity;
import io.listenlog.core.Location;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Turns a captured request into the event that is stored: located, anonymized, cleaned and cut to size. Used by the
 * one writer thread only (it keeps one digest).
 */
public final class EventNormalizer {
    private static final HexFormat HEX = HexFormat.of();

    private final IpAnonymizer anonymizer;
    private final int maxUserAgentLength;
    private final int maxReferrerLength;
    private final boolean keepReferrerQuery;
    private final @Nullable CachingClassifier classifier;
    private final boolean minimal;
    private final @Nullable MessageDigest listenerDigest;
    private final @Nullable GeoLookup geoLookup;
    private final RateLimitedLog lookupFailures = new RateLimitedLog(LoggerFactory.getLogger(EventNormalizer.class),
            Duration.ofSeconds(10));

    /**
     * @param classifier how clients are classified, or {@code null} for no classification
     * @param minimal    the CNIL preset: address cut to its network before the hash, no raw user agent, the
     *                   referrer's scheme and host only
     * @param geoLookup  where addresses are located, or {@code null} for no location
     */
    public EventNormalizer(IpAnonymizer anonymizer, int maxUserAgentLength, int maxReferrerLength,
                           boolean keepReferrerQuery, @Nullable ClientClassifier classifier, boolean minimal,
                           ListenerIdentity identity, @Nullable GeoLookup geoLookup) {
        this.anonymizer = anonymizer;
        this.maxUserAgentLength = maxUserAgentLength;
        this.maxReferrerLength = maxReferrerLength;
        this.keepReferrerQuery = keepReferrerQuery;
        this.classifier = classifier == null ? null : new CachingClassifier(classifier);
        this.minimal = minimal;
        this.listenerDigest = identity == ListenerIdentity.ADDRESS_AND_USER_AGENT ? sha256() : null;
        this.geoLookup = geoLookup;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256, which every Java SE runtime must have", e);
        }
    }

    public ListenEvent toEvent(ListenRequest request, Instant receivedAt) {
        Instant occurredAt = request.occurredAt() != null ? request.occurredAt() : receivedAt;
        Location location = geoLookup == null ? null : locate(geoLookup, request.clientIp());
        String clientIp = minimal ? InetAddresses.network(request.clientIp()) : request.clientIp();
        String ipHash = clientIp == null ? null : anonymizer.anonymize(clientIp, occurredAt);
        String userAgent = clean(request.userAgent(), maxUserAgentLength);
        String referrer = Referrers.clean(request.referrer(), keepReferrerQuery, maxReferrerLength);
        String origin = ReferrerOrigin.of(referrer);
        return new ListenEvent(request.listenId(), request.sourceId(), occurredAt, ipHash, minimal ? null : userAgent,
                minimal ? origin : referrer, request.durationSeconds(), request.extra(),
                classifier == null ? null : classifier.classify(userAgent, origin), listener(ipHash, userAgent),
                location);
    }

    /** The hash of the address hash and the user agent, the newline keeping the two apart. */
    private @Nullable String listener(@Nullable String ipHash, @Nullable String userAgent) {
        if (listenerDigest == null || ipHash == null) {
            return null;
        }
        listenerDigest.update(ipHash.getBytes(StandardCharsets.US_ASCII));
        listenerDigest.update((byte) '\n');
        if (userAgent != null) {
            listenerDigest.update(userAgent.getBytes(StandardCharsets.UTF_8));
        }
        return HEX.formatHex(listenerDigest.digest());
    }

    private @Nullable Location locate(GeoLookup lookup, @Nullable String clientIp) {
        byte[] address = InetAddresses.parse(clientIp);
        if (address == null) {
            return null;
        }
        try {
            return lookup.locate(InetAddress.getByAddress(address));
        } catch (UnknownHostException | RuntimeException e) {
            // The class only: lookup messages may quote the address.
            lookupFailures.warn("listen-log could not locate a listener's address with {} ({}); listens are written"
                    + " without a country meanwhile", lookup.database(), e.getClass().getName());
            return null;
        }
    }

    /** Drops control characters (C0, DEL, C1, line and paragraph separators), trims, cuts; blank becomes null. */
    static @Nullable String clean(@Nullable String value, int maxLength) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                if (out == null) {
                    out = new StringBuilder(value.length()).append(value, 0, i);
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        String s = (out == null ? value : out.toString()).strip();
        if (s.length() > maxLength) {
            int end = maxLength;
            if (Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            s = s.substring(0, end).strip();
        }
        return s.isEmpty() ? null : s;
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
