package io.listenlog.core.internal;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.IpPrecision;
import org.jspecify.annotations.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/** HMAC-SHA256 over the normalized address bytes. */
public final class HmacIpAnonymizer implements IpAnonymizer, KeyDeriving {

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
        String problem = KeyChecks.weakness(secret);
        if (problem != null) {
            throw new IllegalArgumentException("The IP anonymization key (" + secretSource + ", normally "
                    + IpAnonymizer.SALT_VARIABLE + ") " + problem + ". " + KeyChecks.HOW_TO_GENERATE
                    + " and set " + IpAnonymizer.SALT_VARIABLE + " from your secret store; keep it out of source "
                    + "control.");
        }
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
    public @Nullable String anonymize(@Nullable String clientIp) {
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
    public byte[] derivedKey(String purpose, Instant at) {
        return newMac().doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "IpAnonymizer[hmacSha256, " + precision + "]";
    }
}
