package io.autobus.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG, drawn on the server: the statistics page needs no JavaScript.
 * Only numbers and dates go into it, so there is nothing to escape.
 */
final class SvgChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 160;
    private static final int PAD = 34;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private SvgChart() {
    }

    /** A value at a time. */
    record Point(Instant at, double value) {
    }

    static String line(List<Point> points, String unit, String cssClass) {
        if (points.isEmpty()) {
            return "";
        }
        double min = points.stream().mapToDouble(Point::value).min().orElse(0);
        double max = points.stream().mapToDouble(Point::value).max().orElse(1);
        double span = max - min == 0 ? Math.max(1, Math.abs(max)) : max - min;
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" role=\"img\" preserveAspectRatio=\"none\">",
                cssClass, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", PAD, HEIGHT - PAD, WIDTH - 8, HEIGHT - PAD));
        var path = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            double x = points.size() == 1 ? (PAD + WIDTH - 8) / 2.0 : PAD + i * (WIDTH - 8 - PAD) / (double) (points.size() - 1);
            double y = HEIGHT - PAD - (points.get(i).value() - min) / span * (HEIGHT - 2 * PAD);
            path.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s: %s %s</title></circle>",
                    x, y, DAY.format(points.get(i).at()), human(points.get(i).value()), unit));
        }
        svg.append("<polyline fill=\"none\" points=\"").append(path).append("\"/>");
        svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\">%s</text><text x=\"2\" y=\"%d\">%s</text>",
                PAD - 10, human(max), HEIGHT - PAD, human(min)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                PAD, HEIGHT - 10, DAY.format(points.getFirst().at()), WIDTH - 8, HEIGHT - 10, DAY.format(points.getLast().at())));
        return svg.append("</svg>").toString();
    }

    /** 1234567 → 1.2M. */
    static String human(double value) {
        double abs = Math.abs(value);
        if (abs >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", value / 1e9);
        }
        if (abs >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", value / 1e6);
        }
        if (abs >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
