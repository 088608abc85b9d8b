package io.listenlog.core.internal;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenRequest;

import java.time.Instant;

/** Turns a captured request into the event that is stored: anonymized, cleaned and cut to size. */
public final class EventNormalizer {
    private final IpAnonymizer anonymizer;
    private final int maxUserAgentLength;
    private final int maxReferrerLength;
    private final boolean keepReferrerQuery;
    private final ClientClassifier classifier;
    private final boolean minimal;

    /**
     * @param classifier how clients are classified, or {@code null} for no classification
     * @param minimal    the CNIL preset: address cut to its network before the hash, no raw user agent, the
     *                   referrer's scheme and host only
     */
    public EventNormalizer(IpAnonymizer anonymizer, int maxUserAgentLength, int maxReferrerLength,
                           boolean keepReferrerQuery, ClientClassifier classifier, boolean minimal) {
        this.anonymizer = anonymizer;
        this.maxUserAgentLength = maxUserAgentLength;
        this.maxReferrerLength = maxReferrerLength;
        this.keepReferrerQuery = keepReferrerQuery;
        this.classifier = classifier == null ? null : CachingClassifier.of(classifier);
        this.minimal = minimal;
    }

    public ListenEvent toEvent(ListenRequest request, Instant receivedAt) {
        Instant occurredAt = request.occurredAt() != null ? request.occurredAt() : receivedAt;
        String clientIp = minimal ? InetAddresses.network(request.clientIp()) : request.clientIp();
        String ipHash = clientIp == null ? null : anonymizer.anonymize(clientIp, occurredAt);
        String userAgent = clean(request.userAgent(), maxUserAgentLength);
        String referrer = clean(referrer(request.referrer()), maxReferrerLength);
        return new ListenEvent(request.listenId(), request.sourceId(), occurredAt, ipHash, minimal ? null : userAgent,
                minimal ? ReferrerOrigin.of(referrer) : referrer, request.durationSeconds(), request.extra(),
                classifier == null ? null : classifier.classify(userAgent));
    }

    private String referrer(String referrer) {
        if (referrer == null) {
            return null;
        }
        String r = withoutUserInfo(referrer);
        if (!keepReferrerQuery) {
            int cut = indexOfAny(r, '?', '#');
            if (cut >= 0) {
                r = r.substring(0, cut);
            }
        }
        return r;
    }

    /**
     * {@code https://user:secret@host/x} becomes {@code https://host/x}, and so does the scheme-relative
     * {@code //user:secret@host/x}: credentials are never stored.
     */
    private static String withoutUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0 && !url.startsWith("//")) {
            return url;
        }
        int authorityStart = url.startsWith("//") ? 2 : scheme + 3;
        int authorityEnd = url.length();
        for (int i = authorityStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return url;
        }
        return url.substring(0, authorityStart) + url.substring(at + 1);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }

    /** Drops control characters (C0, DEL, C1, line and paragraph separators), trims, cuts; blank becomes null. */
    static String clean(String value, int maxLength) {
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
