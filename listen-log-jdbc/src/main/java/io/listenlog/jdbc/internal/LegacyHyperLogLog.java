package io.listenlog.jdbc.internal;

/**
 * The listeners sketch of days rolled up by earlier listen-log versions, read and merged only: 4,096 one-byte registers over the first 64
 * bits of each value's SHA-256, merged by each register's maximum, estimated with linear counting below 10,240. Its
 * length tells it apart: a DataSketches sketch ({@link ListenersSketch}) never has 4,096 bytes.
 */
public final class LegacyHyperLogLog {
    private static final int P = 12;
    private static final int M = 1 << P;
    /** A stored sketch's length in this format; retention finds the days still holding one by it. */
    public static final int BYTES = M;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / M);

    private final byte[] registers;

    private LegacyHyperLogLog(byte[] registers) {
        this.registers = registers;
    }

    /** Whether {@code stored} is a sketch of this format. */
    public static boolean isLegacy(byte[] stored) {
        return stored.length == BYTES;
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} is not a sketch of this size
     */
    public static LegacyHyperLogLog fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != M) {
            throw new IllegalArgumentException("a legacy listeners sketch has " + M + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new LegacyHyperLogLog(bytes.clone());
    }

    public void merge(LegacyHyperLogLog other) {
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
}
