package io.listenlog.example;

import io.listenlog.jdbc.DailyListens;
import io.listenlog.jdbc.ListenStats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The example's three pages, as plain servlets rendering small HTML documents. */
final class Pages {
    private static final int CHART_DAYS = 14;

    private final Stations stations;
    private final ListenStats stats;

    Pages(Stations stations, ListenStats stats) {
        this.stations = stations;
        this.stats = stats;
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
                list.append("</ul><p><a href=\"/stats\">Statistics</a></p>");
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
                return layout(s.name(), "<audio controls autoplay src=\"" + html(s.streamUrl()) + "\"></audio>"
                        + "<p><a href=\"/\">All stations</a> &middot; <a href=\"/stats\">Statistics</a></p>");
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

    HttpServlet stats() {
        return new Page() {
            @Override
            String render(HttpServletRequest request, HttpServletResponse response) throws SQLException {
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                List<DailyListens> days = stats.perDay(null, today.minusDays(CHART_DAYS - 1), today);
                StringBuilder body = new StringBuilder("<h2>Plays per station (all time)</h2><table>"
                        + "<tr><th>Station</th><th>Plays</th></tr>");
                for (Stations.Station s : stations.all()) {
                    body.append("<tr><td>").append(html(s.name())).append("</td><td class=\"count\" id=\"count-")
                            .append(s.id()).append("\">").append(s.listenCount()).append("</td></tr>");
                }
                body.append("</table><h2>Plays per day (UTC, last ").append(CHART_DAYS).append(" days)</h2>")
                        .append(chart(days))
                        .append("<p><a href=\"/\">Stations</a></p>");
                return layout("Statistics", body.toString());
            }
        };
    }

    /** An inline SVG bar chart: one bar per day, labelled with its plays and unique listeners. */
    static String chart(List<DailyListens> days) {
        long max = Math.max(1, days.stream().mapToLong(DailyListens::plays).max().orElse(0));
        int barWidth = 44;
        int top = 16;
        int height = 160;
        StringBuilder svg = new StringBuilder("<svg class=\"chart\" role=\"img\" aria-label=\"plays per day\" "
                + "width=\"" + days.size() * barWidth + "\" height=\"" + (top + height + 24) + "\">");
        for (int i = 0; i < days.size(); i++) {
            DailyListens day = days.get(i);
            int bar = (int) Math.round((double) day.plays() / max * height);
            int x = i * barWidth;
            svg.append("<g><title>").append(day.day()).append(": ").append(day.plays()).append(" plays, ")
                    .append(day.uniqueListeners()).append(" unique listeners</title>")
                    .append("<rect x=\"").append(x + 6).append("\" y=\"").append(top + height - bar)
                    .append("\" width=\"").append(barWidth - 12).append("\" height=\"").append(bar)
                    .append("\" fill=\"#3b6ea5\"/>")
                    .append("<text x=\"").append(x + barWidth / 2).append("\" y=\"").append(top + height - bar - 4)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">").append(day.plays()).append("</text>")
                    .append("<text x=\"").append(x + barWidth / 2).append("\" y=\"").append(top + height + 16)
                    .append("\" text-anchor=\"middle\" font-size=\"10\">")
                    .append(day.day().getMonthValue()).append('/').append(day.day().getDayOfMonth())
                    .append("</text></g>");
        }
        return svg.append("</svg>").toString();
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
