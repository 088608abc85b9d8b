package io.listenlog.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A HyperLogLog sketch of distinct listeners, so that the cume of a range survives the deletion of its raw events:
 * 4,096 registers of one byte (a 4 KB sketch per source and day), a standard error of 1.04 / √4096 = 1.6%, and
 * linear counting below 10,240 distinct values, where it is close to exact. Sketches of several days merge by taking
 * each register's maximum, so a listener of several days counts once.
 */
public final class HyperLogLog {
    private static final int P = 12;
    private static final int M = 1 << P;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / M);

    private final byte[] registers;

    public HyperLogLog() {
        this.registers = new byte[M];
    }

    private HyperLogLog(byte[] registers) {
        this.registers = registers;
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} is not a sketch of this size
     */
    public static HyperLogLog fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != M) {
            throw new IllegalArgumentException("a listeners sketch has " + M + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new HyperLogLog(bytes.clone());
    }

    public void add(String value) {
        long hash = hash(value);
        int index = (int) (hash >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((hash << P) | (1L << (P - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    public void merge(HyperLogLog other) {
        for (int i = 0; i < M; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    public long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte register : registers) {
            sum += 1.0 / (1L << register);
            if (register == 0) {
                zeros++;
            }
        }
        double estimate = ALPHA * M * M / sum;
        if (estimate <= 2.5 * M && zeros > 0) {
            estimate = M * Math.log((double) M / zeros);
        }
        return Math.round(estimate);
    }

    public byte[] toBytes() {
        return registers.clone();
    }

    /** 64 well-mixed bits: the first eight bytes of the value's SHA-256. */
    private static long hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = h << 8 | (digest[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
