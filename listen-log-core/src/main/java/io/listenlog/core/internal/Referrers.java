package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;


/** How a referrer is cleaned before it is kept anywhere. */
public final class Referrers {
    private Referrers() {
    }

    /**
     * The referrer as stored: without credentials, without its query and fragment unless {@code keepQuery}, without
     * control characters, trimmed and cut to {@code maxLength} characters (never inside a surrogate pair); blank
     * becomes {@code null}. The servlet filter cleans the referrer it puts in a listen token the same way.
     */
    public static @Nullable String clean(@Nullable String referrer, boolean keepQuery, int maxLength) {
        return EventNormalizer.clean(stripped(referrer, keepQuery), maxLength);
    }

    private static @Nullable String stripped(@Nullable String referrer, boolean keepQuery) {
        if (referrer == null) {
            return null;
        }
        String r = withoutUserInfo(referrer);
        if (!keepQuery) {
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
        UrlAuthority authority = UrlAuthority.of(url);
        return authority == null ? url : authority.withoutUserInfo();
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
}
