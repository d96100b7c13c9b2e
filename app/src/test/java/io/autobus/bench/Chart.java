package io.autobus.bench;

import io.autobus.bench.Results.Backup;
import io.autobus.bench.Results.GroupResult;
import java.util.List;
import java.util.Locale;

/** A horizontal bar chart (SVG) of median backup times: the plain tool against Autobus, per data set. */
final class Chart {
    private static final int LABEL = 250;
    private static final int WIDTH = 820;
    private static final int BAR = 16;

    private Chart() {
    }

    static String backupTimes(List<GroupResult> groups) {
        double max = 0;
        int rows = 0;
        for (GroupResult group : groups) {
            for (DataSet data : group.group().dataSets()) {
                max = Math.max(max, Math.max(Results.median(group.of(data), Backup::plainSeconds),
                        Results.median(group.of(data), Backup::autobusSeconds)));
                rows++;
            }
        }
        double scale = (WIDTH - LABEL - 70) / Math.max(max, 0.001);
        int height = 50 + rows * (2 * BAR + 18) + 20;
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Backup time, median seconds (shorter is better)</text>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"#9aa5b1\"/>"
                + "<text x=\"%d\" y=\"40\">plain tool to a file</text>%n", LABEL, LABEL + 16));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"#2b6cb0\"/>"
                + "<text x=\"%d\" y=\"40\">Autobus, request to stored object in S3</text>%n", LABEL + 150, LABEL + 166));
        int y = 55;
        for (GroupResult group : groups) {
            for (DataSet data : group.group().dataSets()) {
                double plain = Results.median(group.of(data), Backup::plainSeconds);
                double autobus = Results.median(group.of(data), Backup::autobusSeconds);
                svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s, %s</text>%n", y + BAR + 4,
                        escape(data.label()), escape(group.group().name())));
                bar(svg, y, plain * scale, "#9aa5b1", plain);
                bar(svg, y + BAR + 2, autobus * scale, "#2b6cb0", autobus);
                y += 2 * BAR + 18;
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static void bar(StringBuilder svg, int y, double width, String color, double seconds) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                + "<text x=\"%.1f\" y=\"%d\">%.1f s</text>%n", LABEL, y, Math.max(width, 1), BAR, color, LABEL + width + 5, y + 12, seconds));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
