package io.autobus.bench;

import io.autobus.bench.Results.Api;
import io.autobus.bench.Results.Backup;
import io.autobus.bench.Results.Group;
import io.autobus.bench.Results.GroupResult;
import io.autobus.bench.Results.Provisioning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the results into the generated section of docs/BENCHMARKS.md (between the two marker
 * comments; the rest of the file is prose kept by hand), and the backup-time chart beside it.
 */
final class Report {
    static final String BEGIN = "<!-- bench/run writes from here -->";
    static final String END = "<!-- bench/run writes up to here -->";

    private Report() {
    }

    record Context(int runs, String machine) {
    }

    static void write(Path out, Context context, List<GroupResult> groups, Api api, Provisioning provisioning) throws IOException {
        String chart = out.getFileName().toString().replaceFirst("\\.md$", "") + "-backup-time.svg";
        Files.writeString(out.resolveSibling(chart), Chart.backupTimes(groups));
        String section = BEGIN + "\n\n" + markdown(context, groups, api, provisioning, chart) + "\n" + END;
        String existing = Files.exists(out) ? Files.readString(out) : "";
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        Files.writeString(out, begin >= 0 && end > begin
                ? existing.substring(0, begin) + section + existing.substring(end + END.length())
                : existing + section + "\n");
    }

    static String markdown(Context context, List<GroupResult> groups, Api api, Provisioning provisioning, String chart) {
        var md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" on ").append(context.machine()).append(". Every figure is the median of ")
                .append(context.runs()).append(context.runs() == 1 ? " run" : " runs")
                .append(" (each run: the plain tool, then Autobus, then a restore of Autobus's file). MB are 10^6 bytes.\n\n");
        md.append("| what | compared with | target | measured | |\n|---|---|---|---|---|\n");
        for (GroupResult group : groups) {
            for (DataSet data : group.group().dataSets()) {
                List<Backup> runs = group.of(data);
                double plain = Results.median(runs, Backup::plainSeconds);
                double autobus = Results.median(runs, Backup::autobusSeconds);
                double plainBytes = Results.median(runs, Backup::plainBytes);
                double bytes = Results.median(runs, Backup::autobusBytes);
                boolean met = autobus <= 0.5 * plain && bytes <= 1.1 * plainBytes;
                md.append(String.format(Locale.ROOT, "| %s snapshot, %s (%s), request to stored object in S3 | `%s`: %.1f s, %s | ≤ 0.5× the time, ≤ 1.1× the size, restorable | %.1f s (**%.2f×**; dump %.1f s of it), %s (**%.2f×**), restored by `%s` with every row | %s |%n",
                        data.label(), group.group().name(), mb(group.sizes().get(data)), cell(data.plainCommand()), plain, mb(plainBytes),
                        autobus, autobus / plain, Results.median(runs, Backup::dumpSeconds), mb(bytes), bytes / plainBytes,
                        cell(data.restoreCommand().replace(" FILE", "").replace(" EMPTY", "")), met ? "met" : "**missed**"));
            }
        }
        if (groups.size() >= 2) {
            GroupResult small = groups.get(0);
            GroupResult large = groups.get(1);
            for (int i = 0; i < small.group().dataSets().size() && i < large.group().dataSets().size(); i++) {
                DataSet smallData = small.group().dataSets().get(i);
                DataSet largeData = large.group().dataSets().get(i);
                double before = Results.median(small.of(smallData), Backup::peakRssKb) / 1024;
                double after = Results.median(large.of(largeData), Backup::peakRssKb) / 1024;
                double growth = (after / before - 1) * 100;
                md.append(String.format(Locale.ROOT, "| service's peak resident memory during a %s backup (`%s`) | %s (%s) vs %s (%s) | grows < 10%% | %.0f MB → %.0f MB (**%+.1f%%**) | %s |%n",
                        smallData.label(), BenchService.HEAP, small.group().name(), mb(small.sizes().get(smallData)),
                        large.group().name(), mb(large.sizes().get(largeData)), before, after, growth, growth < 10 ? "met" : "**missed**"));
            }
        }
        for (GroupResult group : groups) {
            for (DataSet data : group.group().dataSets()) {
                List<Backup> runs = group.of(data);
                double verify = Results.median(runs, Backup::verifySeconds);
                double restore = Results.median(runs, Backup::restoreSeconds);
                String verdicts = runs.stream().map(Backup::verdict).distinct().collect(Collectors.joining(", "));
                boolean target = data.engine() == DataSet.Engine.POSTGRES;
                md.append(String.format(Locale.ROOT, "| verification of a %s snapshot, %s (verdict: %s) | `%s` of the same file: %.1f s | %s | %.1f s (**%.2f×**) | %s |%n",
                        data.label(), group.group().name(), verdicts, cell(data.restoreCommand()), restore, target ? "≤ 1.30×" : "none (shown for comparison)",
                        verify, verify / restore, !target ? "" : verify <= 1.3 * restore && verdicts.equals("verified") ? "met" : "**missed**"));
            }
        }
        for (GroupResult group : groups) {
            for (DataSet data : group.group().dataSets()) {
                List<Backup> runs = group.of(data);
                double restore = Results.median(runs, Backup::restoreSeconds);
                double service = Results.median(runs, Backup::serviceRestoreSeconds);
                md.append(String.format(Locale.ROOT, "| whole restore of a %s snapshot run by the service (API request to completed, counts checked), %s | `%s` of the downloaded file: %.1f s | none (shown for comparison) | %.1f s (**%.2f×**) |  |%n",
                        data.label(), group.group().name(), cell(data.restoreCommand()), restore, service, service / restore));
            }
        }
        if (api != null) {
            api(md, api);
        }
        if (provisioning != null) {
            provisioning(md, provisioning);
        }
        backupDetails(md, groups, chart);
        if (provisioning != null) {
            provisioningMemory(md, provisioning);
        }
        return md.toString();
    }

    private static void api(StringBuilder md, Api api) {
        boolean apiMet = api.p99Ms() <= 20 && api.errors() == 0;
        md.append(String.format(Locale.ROOT, "| `GET /api/snapshots` (%d snapshots, pages of %d), %d concurrent clients on loopback, wrk for %d s | — | p99 ≤ 20 ms, no errors | p99 **%.1f ms** (p50 %.1f, p90 %.1f, max %.0f ms), %,.0f requests/s, %d errors in %,d requests | %s |%n",
                api.snapshots(), api.pageSize(), api.connections(), api.seconds(), api.p99Ms(), api.p50Ms(), api.p90Ms(), api.maxMs(),
                api.requestsPerSecond(), api.errors(), api.requests(), apiMet ? "met" : "**missed**"));
    }

    private static void provisioning(StringBuilder md, Provisioning provisioning) {
        long firstKb = provisioning.residentKbByCount().stream().filter(s -> s[0] > 0).findFirst().map(s -> s[1]).orElse(0L);
        long lastKb = provisioning.residentKbByCount().isEmpty() ? 0 : provisioning.residentKbByCount().getLast()[1];
        long peakKb = provisioning.residentKbByCount().stream().mapToLong(s -> s[1]).max().orElse(0);
        boolean provisioningMet = provisioning.p99Ms() <= 100 && provisioning.errors() == 0 && provisioning.scheduled() == provisioning.addons();
        md.append(String.format(Locale.ROOT, "| provisioning %,d add-ons, %d concurrent clients (partner API, Basic auth) | — | p99 ≤ 100 ms, schedules registered, memory flat | p99 **%.1f ms** (p50 %.1f, max %.0f ms), %d errors, %.0f s in all; %,d of %,d schedules registered %.0f s after the last answer; resident %.0f MB after the first answers, %.0f MB at the end (peak %.0f MB) | %s |%n",
                provisioning.addons(), provisioning.clients(), provisioning.p99Ms(), provisioning.p50Ms(), provisioning.maxMs(), provisioning.errors(),
                provisioning.seconds(), provisioning.scheduled(), provisioning.addons(), provisioning.scheduledSecondsAfterLast(),
                firstKb / 1024.0, lastKb / 1024.0, peakKb / 1024.0, provisioningMet ? "met" : "**missed**"));
    }

    private static void backupDetails(StringBuilder md, List<GroupResult> groups, String chart) {
        if (groups.isEmpty()) {
            return;
        }
        md.append("\n![Backup time, plain tool against Autobus](").append(chart).append(")\n\n");
        md.append("Every run (seconds; sizes in MB):\n\n");
        md.append("| data set | database | plain dump | Autobus, request to stored | of which dumping | plain size | Autobus size | service peak RSS | verification | plain restore | restore by the service |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (GroupResult group : groups) {
            for (Backup run : group.backups()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f MB | %.1f (%s) | %.1f | %.1f |%n",
                        group.group().name(), run.data().label(), run.plainSeconds(), run.autobusSeconds(), run.dumpSeconds(),
                        run.plainBytes() / 1e6, run.autobusBytes() / 1e6, run.peakRssKb() / 1024.0, run.verifySeconds(), run.verdict(),
                        run.restoreSeconds(), run.serviceRestoreSeconds()));
            }
        }
    }

    private static void provisioningMemory(StringBuilder md, Provisioning provisioning) {
        md.append("\nResident memory of the service while the add-ons were provisioned (add-ons answered → MB):\n");
        md.append(provisioning.residentKbByCount().stream()
                .filter(sample -> sample[0] > 0)
                .collect(Collectors.groupingBy(sample -> sample[0] * 10 / Math.max(1, provisioning.addons()),
                        java.util.TreeMap::new, Collectors.reducing((a, b) -> b)))
                .values().stream().flatMap(java.util.Optional::stream)
                .map(sample -> String.format(Locale.ROOT, "%,d → %.0f", sample[0], sample[1] / 1024.0))
                .collect(Collectors.joining(", ", "", ".\n")));
    }

    /** CPU, cores, memory, OS, Java, and the database servers and tools of the data sets. */
    static String machine(List<Group> groups) throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.replaceFirst("^[^:]*:\\s*", "")).orElse("unknown CPU");
        long memoryKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                .findFirst().map(line -> Long.parseLong(line.replaceAll("\\D", ""))).orElse(0L);
        String os = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(line -> line.startsWith("PRETTY_NAME="))
                .findFirst().map(line -> line.replaceFirst("PRETTY_NAME=", "").replace("\"", "")).orElse("Linux");
        var engines = new LinkedHashSet<DataSet.Engine>();
        var tools = new ArrayList<String>();
        for (Group group : groups) {
            for (DataSet data : group.dataSets()) {
                if (engines.add(data.engine())) {
                    tools.add(data.versions());
                }
            }
        }
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB, %s; service on Java %s; %s; S3Proxy (in-memory backend) on loopback",
                cpu, Runtime.getRuntime().availableProcessors(), memoryKb / 1024.0 / 1024.0, os, Runtime.version().feature(),
                String.join("; ", tools));
    }

    /** A pipe inside a table cell, even in code, must be escaped in GitHub's Markdown. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String mb(double bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }
}
