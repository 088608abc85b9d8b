package io.listenlog.servlet.internal;

/**
 * Finds an MP3 file's bitrate in the bytes a response serves from its start: past an ID3v2 tag, the first MPEG audio
 * frame header's bitrate (for a VBR file, that of its first frame). Fed the bytes as they are written; gives up
 * beyond {@link #MAX_TAG_BYTES} or at anything that is not MPEG audio.
 */
final class Mp3Bitrate {
    /** The largest ID3v2 tag looked past (cover art included). */
    static final int MAX_TAG_BYTES = 1 << 20;

    private static final int[][] KBPS = {
            {32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // MPEG-1 layer I
            {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // MPEG-1 layer II
            {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // MPEG-1 layer III
            {32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},     // MPEG-2/2.5 layer I
            {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},          // MPEG-2/2.5 layers II and III
    };

    private final byte[] head = new byte[10];
    private final byte[] frame = new byte[4];
    private long offset;
    private long frameAt = -1;
    private boolean done;
    private int kbps;

    /** The bitrate found, in kbit/s, or 0 while (or when) none is. */
    int kbps() {
        return kbps;
    }

    boolean done() {
        return done;
    }

    void feed(byte[] b, int off, int len) {
        for (int i = 0; i < len && !done; i++) {
            feed(b[off + i]);
        }
    }

    private void feed(byte b) {
        long at = offset++;
        if (at < head.length) {
            head[(int) at] = b;
            if (at == 3 && !(head[0] == 'I' && head[1] == 'D' && head[2] == '3')) {
                frameAt = 0;
                System.arraycopy(head, 0, frame, 0, 4);
                parse();
                return;
            }
            if (at == head.length - 1 && frameAt < 0) {
                long size = (head[6] & 0x7f) << 21 | (head[7] & 0x7f) << 14 | (head[8] & 0x7f) << 7 | (head[9] & 0x7f);
                boolean footer = (head[5] & 0x10) != 0;
                frameAt = head.length + size + (footer ? 10 : 0);
                if (frameAt > MAX_TAG_BYTES) {
                    done = true;
                }
            }
            return;
        }
        if (frameAt >= 0 && at >= frameAt && at < frameAt + 4) {
            frame[(int) (at - frameAt)] = b;
            if (at == frameAt + 3) {
                parse();
            }
        }
    }

    private void parse() {
        done = true;
        int b1 = frame[1] & 0xff;
        int b2 = frame[2] & 0xff;
        if ((frame[0] & 0xff) != 0xff || (b1 & 0xe0) != 0xe0) {
            return;
        }
        int version = (b1 >> 3) & 3;  // 0: 2.5, 2: 2, 3: 1
        int layer = (b1 >> 1) & 3;    // 1: III, 2: II, 3: I
        int index = (b2 >> 4) & 0xf;
        if (version == 1 || layer == 0 || index == 0 || index == 15) {
            return;
        }
        int table = version == 3 ? 3 - layer : (layer == 3 ? 3 : 4);
        kbps = KBPS[table][index - 1];
    }
}
