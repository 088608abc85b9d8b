package io.listenlog.jdbc;

import io.listenlog.core.internal.UrlAuthority;
import org.jspecify.annotations.Nullable;

/** The host part of a referrer URL, read leniently by core's one URL authority parser. */
final class ReferrerHosts {

    private ReferrerHosts() {
    }

    /** The lowercased host of {@code referrer}, or {@code null} when it has none, e.g. when it is not a URL. */
    static @Nullable String hostOf(String referrer) {
        UrlAuthority authority = UrlAuthority.of(referrer);
        return authority == null || authority.start() < 3 ? null : authority.host();
    }
}
