package io.autobus.web;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG, drawn on the server: the statistics page needs no JavaScript.
 * One point per day, placed by its date; the y-axis starts at zero (a small change looks small) and
 * its ticks are round numbers labelled precisely enough to differ. Only numbers and dates go into
 * it, so there is nothing to escape.
 */
final class SvgChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 170;
    private static final int LEFT = 62;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 26;
    private static final int MAX_DATE_LABELS = 6;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    private SvgChart() {
    }

    /** A day's value. */
    record Point(LocalDate day, double value) {
    }

    /** How values read: {@link #BYTES} as 12.5 MB, {@link #COUNT} as 12.5M. */
    enum Unit {
        BYTES(" B", new String[] {" B", " KB", " MB", " GB", " TB"}, "bytes"),
        COUNT("", new String[] {"", "k", "M", "G", "T"}, "rows");

        private final String one;
        private final String[] suffixes;
        private final String word;

        Unit(String one, String[] suffixes, String word) {
            this.one = one;
            this.suffixes = suffixes;
            this.word = word;
        }
    }

    /** @param points one per day, oldest first */
    static String line(List<Point> points, Unit unit, String cssClass) {
        if (points.isEmpty()) {
            return "";
        }
        double max = points.stream().mapToDouble(Point::value).max().orElse(0);
        var ticks = ticks(max);
        double top = ticks.getLast();
        LocalDate first = points.getFirst().day();
        long span = Math.max(1, ChronoUnit.DAYS.between(first, points.getLast().day()));
        var svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s, day by day\">", cssClass, WIDTH, HEIGHT, unit.word));
        var labels = labels(ticks, unit);
        for (int i = 0; i < ticks.size(); i++) {
            double y = y(ticks.get(i), top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"%s\"/>",
                    LEFT, y, WIDTH - RIGHT, y, i == 0 ? "axis baseline" : "grid"));
            svg.append(String.format(Locale.ROOT, "<text class=\"y-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 6, y + 4, labels.get(i)));
        }
        var path = new StringBuilder();
        for (Point point : points) {
            double x = points.size() == 1 ? (LEFT + WIDTH - RIGHT) / 2.0 : x(point.day(), first, span);
            double y = y(point.value(), top);
            path.append(path.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s: %s %s</title></circle>",
                    x, y, DAY.format(point.day()), String.format(Locale.ROOT, "%,.0f", point.value()), unit.word));
        }
        svg.append("<polyline fill=\"none\" points=\"").append(path).append("\"/>");
        for (LocalDate day : dateLabels(points)) {
            double x = points.size() == 1 ? (LEFT + WIDTH - RIGHT) / 2.0 : x(day, first, span);
            String anchor = day.equals(first) && points.size() > 1 ? "start" : day.equals(points.getLast().day()) && points.size() > 1 ? "end" : "middle";
            svg.append(String.format(Locale.ROOT, "<text class=\"x-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    x, HEIGHT - 8, anchor, DAY.format(day)));
        }
        return svg.append("</svg>").toString();
    }

    private static double x(LocalDate day, LocalDate first, long span) {
        return LEFT + ChronoUnit.DAYS.between(first, day) * (WIDTH - RIGHT - LEFT) / (double) span;
    }

    private static double y(double value, double top) {
        return HEIGHT - BOTTOM - value / top * (HEIGHT - BOTTOM - TOP);
    }

    /** 0 and round steps up to at least {@code max}: 0, 2.5M, 5M, 7.5M, 10M, 12.5M. Never a single tick. */
    static List<Double> ticks(double max) {
        double step = niceStep(Math.max(max, 0) / 4);
        var ticks = new ArrayList<Double>();
        for (int i = 0; ticks.isEmpty() || ticks.getLast() < max || ticks.size() < 2; i++) {
            ticks.add(BigDecimal.valueOf(step).multiply(BigDecimal.valueOf(i)).doubleValue());
        }
        return ticks;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw} (1 for nothing). */
    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double residual = raw / magnitude;
        double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
        return Math.max(1, nice * magnitude);
    }

    /**
     * The ticks' labels, in one unit (the top tick's) and with as many decimals as the step needs, so that no two
     * read the same: 0, 2.5 MB, 5.0 MB, ..., never 10.7M and 10.7M.
     */
    static List<String> labels(List<Double> ticks, Unit unit) {
        double top = ticks.getLast();
        int power = 0;
        while (power < unit.suffixes.length - 1 && top >= Math.pow(1000, power + 1)) {
            power++;
        }
        double scale = Math.pow(1000, power);
        double step = ticks.get(1) - ticks.get(0);
        int decimals = 0;
        while (decimals < 3 && Math.abs(Math.round(step / scale * Math.pow(10, decimals)) - step / scale * Math.pow(10, decimals)) > 1e-6) {
            decimals++;
        }
        var labels = new ArrayList<String>();
        for (double tick : ticks) {
            labels.add(tick == 0 ? "0" : String.format(Locale.ROOT, "%." + decimals + "f%s", tick / scale,
                    power == 0 ? unit.one : unit.suffixes[power]));
        }
        return labels;
    }

    /** At most {@link #MAX_DATE_LABELS} of the points' days, evenly spread, the first and the last among them. */
    static List<LocalDate> dateLabels(List<Point> points) {
        var days = new LinkedHashSet<LocalDate>();
        int count = Math.min(MAX_DATE_LABELS, points.size());
        for (int i = 0; i < count; i++) {
            days.add(points.get(count == 1 ? 0 : (int) Math.round(i * (points.size() - 1) / (double) (count - 1))).day());
        }
        return List.copyOf(days);
    }
}
