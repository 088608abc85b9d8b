package io.listenlog.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An endless audio stream made in-process, so the example plays real audio without the network: a WAV header that
 * announces the longest length the format allows, then a soft tone per station (8 kHz, 16-bit mono), paced at
 * real time so that a player buffers as it would from a radio.
 */
final class ToneStream extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int RATE = 8_000;
    private static final int CHUNK_SAMPLES = RATE / 4;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long station = Pages.parseId(request.getPathInfo()).orElse(0L);
        if (station == 0) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        double hertz = 220 * Math.pow(2, (station % 12) / 12.0);
        response.setContentType("audio/wav");
        response.setHeader("Cache-Control", "no-store");
        OutputStream out = response.getOutputStream();
        out.write(header());
        long sample = 0;
        long started = System.nanoTime();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_SAMPLES * 2).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (true) {
                chunk.clear();
                for (int i = 0; i < CHUNK_SAMPLES; i++, sample++) {
                    chunk.putShort((short) (Math.sin(2 * Math.PI * hertz * sample / RATE) * 3_000));
                }
                out.write(chunk.array());
                out.flush();
                // A few seconds ahead of real time at most, as a radio server sends.
                long aheadNanos = sample * 1_000_000_000L / RATE - (System.nanoTime() - started) - 3_000_000_000L;
                if (aheadNanos > 0) {
                    Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // the listener closed the stream: the normal end
        }
    }

    private static byte[] header() {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(-1).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
                .putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes()).putInt(-1);
        return h.array();
    }
}
