package io.listenlog.core.internal;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.IpPrecision;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** HMAC-SHA256 over the normalized address bytes. */
public final class HmacIpAnonymizer implements IpAnonymizer {

    static final int MIN_SECRET_LENGTH = 16;
    private static final int MIN_DISTINCT_CHARACTERS = 10;
    /** Words that start keys copied from examples and templates; compared without case or punctuation. */
    private static final List<String> DEFAULT_WORDS = List.of("changeme", "changeit", "replaceme", "password",
            "secret", "example", "default", "placeholder", "yourkey", "yoursecret", "yoursalt", "insert", "todo");
    /** ${VAR}, {{var}}, <your key>, %VAR%, @var@: templates that were never filled in. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{.*}|\\{\\{.*}}|<.*>|%.*%|@.*@", Pattern.DOTALL);
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final IpPrecision precision;
    private final ThreadLocal<Mac> macs;

    private HmacIpAnonymizer(SecretKeySpec key, IpPrecision precision) {
        this.key = key;
        this.precision = precision;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * @param secretSource how the caller supplied the secret, for the error message (e.g. "the environment variable
     *                     LISTEN_LOG_SALT")
     */
    public static HmacIpAnonymizer create(String secret, IpPrecision precision, String secretSource) {
        Objects.requireNonNull(precision, "precision");
        checkSecret(secret, secretSource);
        HmacIpAnonymizer anonymizer = new HmacIpAnonymizer(
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), precision);
        anonymizer.newMac();
        return anonymizer;
    }

    private static void checkSecret(String secret, String secretSource) {
        String problem = weakness(secret);
        if (problem != null) {
            throw new IllegalArgumentException("The IP anonymization key (" + secretSource + ", normally "
                    + IpAnonymizer.SALT_VARIABLE + ") " + problem + ". Generate a random one with `openssl rand -hex 32`"
                    + " and set " + IpAnonymizer.SALT_VARIABLE + " from your secret store; keep it out of source "
                    + "control.");
        }
    }

    /** Why {@code secret} would make hashes guessable, or {@code null} when it looks random enough. */
    static String weakness(String secret) {
        if (secret == null || secret.isBlank()) {
            return "is missing";
        }
        if (!secret.equals(secret.strip())) {
            return "has leading or trailing whitespace (often a newline from a file or an echo), which would silently "
                    + "become part of the key: remove it";
        }
        if (PLACEHOLDER.matcher(secret).matches()) {
            return "is an unexpanded placeholder (" + secret.charAt(0) + "...), not a value";
        }
        String letters = secret.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (letters.contains("changeme")) {
            return "contains the placeholder 'change-me'";
        }
        for (String word : DEFAULT_WORDS) {
            if (letters.startsWith(word)) {
                return "is a default or example value ('" + word + "...')";
            }
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            return "is shorter than " + MIN_SECRET_LENGTH + " characters";
        }
        if (secret.chars().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            return "has fewer than " + MIN_DISTINCT_CHARACTERS + " distinct characters, so it is easy to guess";
        }
        return null;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }

    @Override
    public String anonymize(String clientIp) {
        byte[] address = InetAddresses.parse(clientIp);
        if (address == null) {
            return null;
        }
        if (precision == IpPrecision.NETWORK) {
            InetAddresses.truncateToNetwork(address);
        }
        return HEX.formatHex(macs.get().doFinal(address));
    }

    @Override
    public String toString() {
        return "IpAnonymizer[hmacSha256, " + precision + "]";
    }
}
