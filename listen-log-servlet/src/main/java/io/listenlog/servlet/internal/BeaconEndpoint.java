package io.listenlog.servlet.internal;

import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code POST <prefix><id>/progress}: a player's report of the seconds it played, with its listen token. The first
 * report with seconds for a listen logs the play (when plays are counted on playback), later ones are its progress,
 * and a report that adds no seconds costs nothing.
 */
public final class BeaconEndpoint {
    /** Clocks and network delays: a report may claim this much more than the time since the start. */
    public static final long SLACK_SECONDS = 10;
    /** How many listens the filter remembers to coalesce their reports: about 6 MB at most. */
    public static final int REMEMBERED_LISTENS = 65_536;

    private static final String PROGRESS_SUFFIX = "/progress";

    private final ListenLogger logger;
    private final String pathPrefix;
    private final ListenTokens tokens;
    private final boolean logsPlays;
    private final Duration maxListenDuration;
    private final Clock clock;
    private final Function<HttpServletRequest, String> clientAddress;
    private final ReportedListens reported = new ReportedListens(REMEMBERED_LISTENS);
    private final Consumer<RuntimeException> failure;

    public final LongAdder accepted = new LongAdder();
    public final LongAdder forged = new LongAdder();
    public final LongAdder wrongSource = new LongAdder();
    public final LongAdder expired = new LongAdder();
    public final LongAdder badSeconds = new LongAdder();
    public final LongAdder malformed = new LongAdder();

    /**
     * @param logsPlays     whether a report logs the play (counting on playback) or only adds time to it
     * @param clientAddress the reporting client's address, as the filter resolves it behind proxies
     * @param failure       told when the logger throws, so the filter can warn; the report is still answered
     */
    public BeaconEndpoint(ListenLogger logger, String pathPrefix, ListenTokens tokens, boolean logsPlays,
                          Duration maxListenDuration, Clock clock, Function<HttpServletRequest, String> clientAddress,
                          Consumer<RuntimeException> failure) {
        this.logger = logger;
        this.pathPrefix = pathPrefix;
        this.tokens = tokens;
        this.logsPlays = logsPlays;
        this.maxListenDuration = maxListenDuration;
        this.clock = clock;
        this.clientAddress = clientAddress;
        this.failure = failure;
    }

    /**
     * Answers {@code request} when it is a report ({@code POST <prefix><id>/progress} of the container's own
     * dispatch, not a forward or include of it).
     *
     * @return {@code false} when it is none, and was not answered
     */
    public boolean serve(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod()) || !path.endsWith(PROGRESS_SUFFIX)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            return false;
        }
        long sourceId = ListenPaths.sourceId(path.substring(0, path.length() - PROGRESS_SUFFIX.length()), pathPrefix);
        if (sourceId == 0) {
            return false;
        }
        handle(sourceId, request, response);
        return true;
    }

    private void handle(long sourceId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> fields;
        try {
            fields = ReportForm.read(request.getQueryString(), request.getContentType(),
                    request.getContentLengthLong(), request.getInputStream());
        } catch (ReportForm.Refused e) {
            malformed.increment();
            answer(response, e.status(), e.getMessage());
            return;
        }
        ListenTokens.Token token = tokens.verify(fields.get("token"));
        if (token == null) {
            forged.increment();
            answer(response, HttpServletResponse.SC_FORBIDDEN, "not a listen token of this site");
            return;
        }
        if (token.sourceId() != sourceId) {
            wrongSource.increment();
            answer(response, HttpServletResponse.SC_FORBIDDEN, "the token is another source's");
            return;
        }
        long age = Duration.between(token.start(), clock.instant()).getSeconds();
        if (age > maxListenDuration.getSeconds()) {
            expired.increment();
            answer(response, HttpServletResponse.SC_GONE, "the listen token has expired");
            return;
        }
        String text = fields.get("seconds");
        if (text == null || !text.matches("[0-9]{1,9}") || Long.parseLong(text) > Math.max(0, age) + SLACK_SECONDS) {
            badSeconds.increment();
            answer(response, HttpServletResponse.SC_BAD_REQUEST, "seconds must be a whole number of seconds"
                    + " listened, at most the time since the listen started");
            return;
        }
        long seconds = Long.parseLong(text);
        if (seconds > 0) {
            try {
                record(sourceId, token, seconds, request);
            } catch (RuntimeException e) {
                failure.accept(e);
            }
        }
        accepted.increment();
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private void record(long sourceId, ListenTokens.Token token, long seconds, HttpServletRequest request) {
        ReportedListens.Step step = reported.stepFor(token.listenId(), seconds);
        if (step == ReportedListens.Step.NOTHING) {
            return;
        }
        if (step == ReportedListens.Step.LOG && logsPlays) {
            boolean taken = logger.log(ListenRequest.builder(sourceId).listenId(token.listenId())
                    .occurredAt(token.start()).clientIp(clientAddress.apply(request))
                    .userAgent(request.getHeader("User-Agent")).referrer(token.referrer()).build());
            if (!taken) {
                return;  // dropped and counted by the logger; the next report tries again
            }
        }
        if (logger.progress(token.listenId(), Duration.ofSeconds(seconds))) {
            reported.taken(token.listenId(), seconds);
        }
    }

    /** Our own short text answer, never the container's error page. */
    private static void answer(HttpServletResponse response, int status, @Nullable String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
