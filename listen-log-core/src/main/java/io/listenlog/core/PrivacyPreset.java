package io.listenlog.core;

/**
 * A set of settings chosen for a privacy regime, switched on as one: {@link ListenLogger.Builder#privacyPreset} and
 * {@code ListenRetention.Builder.privacyPreset}. docs/privacy.md maps each condition to what meets it (not legal
 * advice).
 */
public enum PrivacyPreset {

    /**
     * The conditions under which the French data protection authority (CNIL) exempts audience measurement from
     * consent, as listen-log can meet them:
     * <ul>
     *   <li>the client address is cut to its network (/24 for IPv4, /64 for IPv6) before the keyed hash;</li>
     *   <li>the keys are per site and time-limited: the logger requires {@link IpAnonymizer#dailyRotating daily
     *   rotating keys}, generated at random for this deployment and destroyed by retention;</li>
     *   <li>the user agent is stored as its class, app and platform only (the raw {@code user_agent} is left
     *   empty), so the logger requires a {@link ClientClassifier};</li>
     *   <li>the referrer is stored as its scheme and host only;</li>
     *   <li>raw events are kept at most 25 months ({@code ListenRetention} refuses a longer retention);</li>
     *   <li>listeners can opt out: the servlet filter's {@code optOut} hook, wired to the host's own control.</li>
     * </ul>
     */
    CNIL_AUDIENCE_MEASUREMENT
}
