package io.listenlog.core.internal;

import org.jspecify.annotations.Nullable;


/** A referrer cut to its origin, {@code https://example.com/}, for the CNIL preset. */
final class ReferrerOrigin {
    private ReferrerOrigin() {
    }

    /**
     * {@code scheme://host/}, lowercased, without credentials, port, path, query or fragment; {@code null} when the
     * referrer has no {@code scheme://host}. International host names are kept as written.
     */
    static @Nullable String of(@Nullable String referrer) {
        UrlAuthority authority = UrlAuthority.of(referrer);
        return authority == null ? null : authority.origin();
    }
}
