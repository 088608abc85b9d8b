package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenerIdentity;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * On-demand files under the download prefix, {@code <prefix><id>/<file>}, counted as the IAB Tech Lab's podcast
 * guidelines count downloads: the {@code GET}s of one listener for one file within a UTC day are one download, which
 * counts once at least a minute of audio has been served across them (by the bytes the responses carried and the
 * file's bitrate, or the host's byte threshold). The download's listen id is a keyed hash of the listener, source,
 * file and day under the deployment's token key, so every instance that counts it logs the same id, stored once.
 */
public final class DownloadListens {
    /** The bitrate assumed for a file whose own is unknown (not MP3, or its start never served): 128 kbit/s. */
    public static final int DEFAULT_KBPS = 128;
    /** The most downloads one instance follows within a day; more count only by what one request serves. */
    public static final int MAX_TRACKED = 100_000;
    /** The longest file name stored; a longer one is cut. */
    public static final int MAX_FILE_LENGTH = 512;
    /** The {@code extra} key that names a download's file. */
    public static final String EXTRA_KEY = "download";
    private static final int MAX_FILES = 10_000;

    private final ListenLogger logger;
    private final @Nullable String prefix;
    private final long minimumBytes;
    private final ListenTokens tokens;
    private final Captures captures;
    private final CaptureFailures failures;
    private final Clock clock;
    private final int maxTracked;
    private final Map<UUID, Download> today = new ConcurrentHashMap<>();
    private volatile LocalDate day = LocalDate.MIN;
    private final Map<String, Integer> kbpsByFile = new ConcurrentHashMap<>();

    public final LongAdder requests = new LongAdder();
    public final LongAdder downloads = new LongAdder();
    public final LongAdder untracked = new LongAdder();

    /** One listener's requests for one file today, on this instance. */
    private static final class Download {
        final AtomicLong bytes = new AtomicLong();
        final AtomicBoolean counted = new AtomicBoolean();
        final Instant first;

        Download(Instant first) {
            this.first = first;
        }
    }

    /**
     * @param prefix       where files live, or {@code null} when the filter counts none
     * @param minimumBytes the bytes that make a download whatever the file's bitrate, or 0 for a minute of audio
     */
    public DownloadListens(ListenLogger logger, @Nullable String prefix, long minimumBytes, ListenTokens tokens,
                           Captures captures, CaptureFailures failures, int maxTracked) {
        this.logger = logger;
        this.prefix = prefix;
        this.minimumBytes = minimumBytes;
        this.tokens = tokens;
        this.captures = captures;
        this.failures = failures;
        this.clock = logger.clock();
        this.maxTracked = maxTracked;
    }

    /** The downloads this instance follows today. */
    public int tracked() {
        return today.size();
    }

    /**
     * Serves a file request under the download prefix with its response's bytes counted.
     *
     * @return {@code false} when the request is no file's download, and was not passed on
     */
    public boolean serve(String path, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String p = prefix;
        if (p == null) {
            return false;
        }
        long sourceId = ListenPaths.sourceIdOfFolder(path, p);
        if (sourceId == 0 || !captures.isWantedGet(request)) {
            return false;
        }
        String file = path.substring(path.indexOf('/', p.length()) + 1);
        if (file.length() > MAX_FILE_LENGTH) {
            file = file.substring(0, MAX_FILE_LENGTH);
        }
        Served served;
        try {
            served = new Served(response, request, sourceId, file);
        } catch (RuntimeException e) {
            failures.warn("could not read the request", e);
            return false;
        }
        chain.doFilter(request, served);
        return true;
    }

    private long threshold(String fileKey) {
        if (minimumBytes > 0) {
            return minimumBytes;
        }
        return kbpsByFile.getOrDefault(fileKey, DEFAULT_KBPS) * 1000L / 8 * 60;
    }

    /** The download's id: the same on every instance for one listener, source, file and UTC day. */
    private UUID downloadId(@Nullable String address, @Nullable String userAgent, long sourceId, String file,
                            LocalDate day) {
        String listener = logger.listenerIdentity() == ListenerIdentity.ADDRESS ? String.valueOf(address)
                : address + "\n" + userAgent;
        byte[] mac = tokens.sign(day.atStartOfDay(ZoneOffset.UTC).toInstant(), ("listen-log download v1\n" + listener
                + "\n" + sourceId + "\n" + file + "\n" + day).getBytes(StandardCharsets.UTF_8));
        if (mac == null) {
            return UUID.randomUUID();  // no key for the day: counted on this instance alone
        }
        ByteBuffer bits = ByteBuffer.wrap(mac);
        long high = (bits.getLong() & ~0xf000L) | 0x8000L;  // version 8: RFC 9562's custom UUID
        long low = (bits.getLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** A response of one file request: its bytes, counted as they are written, and its first ones read for MP3. */
    private final class Served extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        private final @Nullable String address;
        private final @Nullable String userAgent;
        private final long sourceId;
        private final String file;
        private final String fileKey;
        private final Instant now;
        private final UUID id;
        private final @Nullable Download download;
        private long bytes;
        private @Nullable Mp3Bitrate sniffer;
        private boolean fromStart = true;
        private boolean requested;
        private @Nullable ServletOutputStream out;
        private @Nullable PrintWriter writer;

        Served(HttpServletResponse response, HttpServletRequest request, long sourceId, String file) {
            super(response);
            this.request = request;
            this.sourceId = sourceId;
            this.file = file;
            this.fileKey = sourceId + "/" + file;
            this.now = clock.instant();
            LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC);
            if (!date.equals(day)) {
                day = date;
                today.clear();
            }
            this.address = captures.clientAddress(request);
            this.userAgent = request.getHeader("User-Agent");
            this.id = downloadId(address, userAgent, sourceId, file, date);
            Download existing = today.get(id);
            if (existing == null && today.size() < maxTracked) {
                Download fresh = new Download(now);
                existing = today.putIfAbsent(id, fresh);
                if (existing == null) {
                    existing = fresh;
                }
            }
            this.download = existing;
            if (download == null) {
                untracked.increment();
            }
        }

        @Override
        public void setHeader(String name, String value) {
            range(name, value);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            range(name, value);
            super.addHeader(name, value);
        }

        private void range(String name, @Nullable String value) {
            if ("Content-Range".equalsIgnoreCase(name)) {
                fromStart = value != null && value.strip().startsWith("bytes 0-");
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new WatchedOutputStream(super.getOutputStream(), this::served);
            }
            return out;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = WatchedOutputStream.writerOver(getOutputStream(), getCharacterEncoding());
            }
            return writer;
        }

        /** Bytes that reached the container: counted only in a 2xx, never an error page. */
        private void served(byte[] b, int off, int len) {
            try {
                if (!Captures.isSuccess(getStatus())) {
                    return;
                }
                requestsOnce();
                if (fromStart && minimumBytes == 0 && !kbpsByFile.containsKey(fileKey)) {
                    if (sniffer == null) {
                        sniffer = new Mp3Bitrate();
                    }
                    if (!sniffer.done()) {
                        sniffer.feed(b, off, len);
                        if (sniffer.kbps() > 0) {
                            BoundedMaps.put(kbpsByFile, fileKey, sniffer.kbps(), MAX_FILES);
                        }
                    }
                }
                bytes += len;
                long threshold = threshold(fileKey);
                boolean reached = download == null ? bytes >= threshold && bytes - len < threshold
                        : download.bytes.addAndGet(len) >= threshold && download.counted.compareAndSet(false, true);
                if (reached) {
                    count();
                }
            } catch (RuntimeException e) {
                failures.warn("could not count a download", e);
            }
        }

        private void requestsOnce() {
            if (!requested) {
                requested = true;
                requests.increment();
            }
        }

        private void count() {
            downloads.increment();
            logger.log(ListenRequest.builder(sourceId).listenId(id)
                    .occurredAt(download == null ? now : download.first)
                    .clientIp(address).userAgent(userAgent)
                    .referrer(request.getHeader("Referer")).extra(Map.of(EXTRA_KEY, file)).build());
        }
    }
}
