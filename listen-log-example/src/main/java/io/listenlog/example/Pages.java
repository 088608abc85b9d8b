package io.listenlog.example;

import io.listenlog.servlet.ListenLogFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/** The example's three pages, as plain servlets rendering small HTML documents. */
final class Pages {

    private final Stations stations;

    Pages(Stations stations) {
        this.stations = stations;
    }

    HttpServlet home() {
        return new Page() {
            @Override
            String render(HttpServletRequest request, HttpServletResponse response) throws SQLException {
                if (!"/".equals(request.getServletPath()) || request.getPathInfo() != null) {
                    response.setStatus(404);
                    return layout("Not found", "<p>No such page. <a href=\"/\">Stations</a></p>");
                }
                StringBuilder list = new StringBuilder("<ul class=\"stations\">");
                for (Stations.Station s : stations.all()) {
                    list.append("<li><a href=\"/listen/").append(s.id()).append("\">Listen to ")
                            .append(html(s.name())).append("</a></li>");
                }
                list.append("</ul><p><a href=\"/stats/\">Statistics</a></p>");
                return layout("Stations", list.toString());
            }
        };
    }

    HttpServlet player() {
        return new Page() {
            @Override
            String render(HttpServletRequest request, HttpServletResponse response) throws SQLException {
                Optional<Stations.Station> station = parseId(request.getPathInfo()).flatMap(this::find);
                if (station.isEmpty()) {
                    response.setStatus(404);
                    return layout("Unknown station", "<p>No such station. <a href=\"/\">All stations</a></p>");
                }
                Stations.Station s = station.get();
                Object token = request.getAttribute(ListenLogFilter.LISTEN_TOKEN_ATTRIBUTE);
                // The three lines of docs/servlet.md: the player with its token and report address, and the script.
                return layout(s.name(), "<audio controls preload=\"none\" src=\"/stream/" + s.id() + "\""
                        + " data-listen-token=\"" + html(String.valueOf(token)) + "\""
                        + " data-listen-progress=\"/listen/" + s.id() + "/progress\"></audio>"
                        + "<script src=\"" + ListenLogFilter.SCRIPT_PATH + "\" defer></script>"
                        + "<p>In your own player (VLC, a smart speaker): <a href=\"/radio/" + s.id() + "\">/radio/"
                        + s.id() + "</a>, or as HLS: <a href=\"/hls/" + s.id() + "/live.m3u8\">/hls/" + s.id()
                        + "/live.m3u8</a></p>"
                        + "<p><a href=\"/\">All stations</a> &middot; <a href=\"/stats/\">Statistics</a></p>");
            }

            private Optional<Stations.Station> find(long id) {
                try {
                    return stations.find(id);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    static Optional<Long> parseId(String pathInfo) {
        if (pathInfo == null || !pathInfo.matches("/[1-9][0-9]{0,17}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(pathInfo.substring(1)));
    }

    static String layout(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title)
                + " · listen-log example</title><style>body{font-family:system-ui,sans-serif;margin:2rem;"
                + "max-width:48rem}table{border-collapse:collapse}td,th{padding:.25rem .75rem;"
                + "border-bottom:1px solid #ddd;text-align:left}</style></head><body><h1>" + html(title) + "</h1>"
                + body + "</body></html>";
    }

    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private abstract static class Page extends HttpServlet {
        abstract String render(HttpServletRequest request, HttpServletResponse response) throws SQLException;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String page;
            try {
                page = render(request, response);
            } catch (SQLException e) {
                throw new IOException("database error", e);
            }
            response.setContentType("text/html;charset=utf-8");
            response.getWriter().write(page);
        }
    }
}
