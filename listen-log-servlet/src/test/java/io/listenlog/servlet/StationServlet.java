package io.listenlog.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host application: {@code /listen/<id>} answers 200 for the known stations 1..5, 404 for other ids and 500 for
 * {@link #BROKEN_ID}; any other path answers 200. With {@code ?async=ok|timeout} the answer comes from an async cycle
 * (a timeout ends in the container's error page).
 */
final class StationServlet extends HttpServlet {

    static final long BROKEN_ID = 13;
    private static final Pattern LISTEN = Pattern.compile("/listen/([1-9]\\d{0,17})");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String async = request.getParameter("async");
        if (async == null) {
            answer(request, response);
        } else if (async.equals("timeout")) {
            request.startAsync().setTimeout(50);
        } else {
            AsyncContext context = request.startAsync();
            context.start(() -> {
                try {
                    answer(request, response);
                } catch (IOException e) {
                    response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                } finally {
                    context.complete();
                }
            });
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response);
    }

    private static void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Matcher listen = LISTEN.matcher(path);
        if (listen.matches()) {
            long id = Long.parseLong(listen.group(1));
            if (id == BROKEN_ID) {
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                return;
            }
            if (id < 1 || id > 5) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            write(response, "station " + id);
            return;
        }
        write(response, "page " + path);
    }

    private static void write(HttpServletResponse response, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
