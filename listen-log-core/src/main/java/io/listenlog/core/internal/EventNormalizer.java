package io.listenlog.core.internal;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenRequest;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** Turns a captured request into the event that is stored: anonymized, cleaned and cut to size. */
public final class EventNormalizer {
    private final IpAnonymizer anonymizer;
    private final int maxUserAgentLength;
    private final int maxReferrerLength;
    private final boolean keepReferrerQuery;
    private final @Nullable CachingClassifier classifier;
    private final boolean minimal;

    /**
     * @param classifier how clients are classified, or {@code null} for no classification
     * @param minimal    the CNIL preset: address cut to its network before the hash, no raw user agent, the
     *                   referrer's scheme and host only
     */
    public EventNormalizer(IpAnonymizer anonymizer, int maxUserAgentLength, int maxReferrerLength,
                           boolean keepReferrerQuery, @Nullable ClientClassifier classifier, boolean minimal) {
        this.anonymizer = anonymizer;
        this.maxUserAgentLength = maxUserAgentLength;
        this.maxReferrerLength = maxReferrerLength;
        this.keepReferrerQuery = keepReferrerQuery;
        this.classifier = classifier == null ? null : new CachingClassifier(classifier);
        this.minimal = minimal;
    }

    public ListenEvent toEvent(ListenRequest request, Instant receivedAt) {
        Instant occurredAt = request.occurredAt() != null ? request.occurredAt() : receivedAt;
        String clientIp = minimal ? InetAddresses.network(request.clientIp()) : request.clientIp();
        String ipHash = clientIp == null ? null : anonymizer.anonymize(clientIp, occurredAt);
        String userAgent = clean(request.userAgent(), maxUserAgentLength);
        String referrer = Referrers.clean(request.referrer(), keepReferrerQuery, maxReferrerLength);
        String origin = ReferrerOrigin.of(referrer);
        return new ListenEvent(request.listenId(), request.sourceId(), occurredAt, ipHash, minimal ? null : userAgent,
                minimal ? origin : referrer, request.durationSeconds(), request.extra(),
                classifier == null ? null : classifier.classify(userAgent, origin));
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
