package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    private static final LocalDate NOV_1 = LocalDate.of(2026, 11, 1);

    @Test
    void a_tiny_change_gets_a_zero_based_axis_whose_labels_all_differ() {
        var points = List.of(new SvgChart.Point(NOV_1, 10_700_000), new SvgChart.Point(NOV_1.plusDays(1), 10_712_000));

        String svg = SvgChart.line(points, SvgChart.Unit.BYTES, "size");

        assertThat(texts(svg, "y-label")).containsExactly("0", "5 MB", "10 MB", "15 MB");
        assertThat(svg).contains("class=\"axis baseline\"").contains("<title>Nov 2: 10,712,000 bytes</title>");
    }

    @Test
    void tick_labels_carry_the_decimals_their_step_needs() {
        assertThat(SvgChart.labels(SvgChart.ticks(12_000_000), SvgChart.Unit.COUNT)).containsExactly("0", "5M", "10M", "15M");
        assertThat(SvgChart.labels(SvgChart.ticks(9_000_000), SvgChart.Unit.COUNT)).containsExactly("0", "2.5M", "5.0M", "7.5M", "10.0M");
    }

    @Test
    void every_chart_s_labels_differ_whatever_the_range() {
        for (double max : new double[] {0, 1, 3, 7, 999, 1000, 1001, 2_500, 10_700_000, 10_712_345, 999_999_999, 4.2e12}) {
            var labels = SvgChart.labels(SvgChart.ticks(max), SvgChart.Unit.BYTES);
            assertThat(labels).as("max " + max).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(2);
            assertThat(SvgChart.ticks(max).getLast()).as("max " + max).isGreaterThanOrEqualTo(max);
            assertThat(SvgChart.ticks(max).getFirst()).isZero();
        }
    }

    @Test
    void the_date_axis_names_distinct_days_first_and_last_among_them() {
        var month = IntStream.range(0, 30).mapToObj(i -> new SvgChart.Point(NOV_1.plusDays(i), i)).toList();
        var single = List.of(new SvgChart.Point(NOV_1, 5));

        assertThat(SvgChart.dateLabels(month)).hasSize(6).doesNotHaveDuplicates().startsWith(NOV_1).endsWith(NOV_1.plusDays(29));
        assertThat(texts(SvgChart.line(month, SvgChart.Unit.COUNT, "rows"), "x-label")).doesNotHaveDuplicates().startsWith("Nov 1")
                .endsWith("Nov 30");
        assertThat(texts(SvgChart.line(single, SvgChart.Unit.COUNT, "rows"), "x-label")).containsExactly("Nov 1");
    }

    @Test
    void points_stand_where_their_day_is_so_a_missing_day_leaves_a_gap() {
        var points = List.of(new SvgChart.Point(NOV_1, 1), new SvgChart.Point(NOV_1.plusDays(1), 1), new SvgChart.Point(NOV_1.plusDays(4), 1));

        var xs = Pattern.compile("<circle cx=\"([0-9.]+)\"").matcher(SvgChart.line(points, SvgChart.Unit.COUNT, "rows")).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();

        assertThat(xs.get(2) - xs.get(1)).isCloseTo(3 * (xs.get(1) - xs.get(0)), org.assertj.core.data.Offset.offset(0.2));
    }

    private static List<String> texts(String svg, String cssClass) {
        return Pattern.compile("<text class=\"" + cssClass + "\"[^>]*>([^<]*)</text>").matcher(svg).results().map(m -> m.group(1)).toList();
    }
}
