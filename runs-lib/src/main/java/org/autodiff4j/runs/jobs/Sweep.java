package org.autodiff4j.runs.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.runs.Charts;
import org.autodiff4j.runs.Report;
import org.autodiff4j.runs.RunFolder;

/**
 * A sweep: every trial of a {@link SweepSpec} run as a {@link SweepTrial} task on a {@link TaskExecutor}, each in its
 * own run folder {@code OUTPUT/trials/ID} with its own report, then one summary in {@code OUTPUT}: {@code trials.csv}
 * (a row per trial), {@code summary.json} (per setting the mean and standard error of every figure over its seeds, and
 * the best setting by the objective) and {@code report.html} (the settings compared on one chart, a table row per
 * trial). Running the same sweep into the same folder again continues it: finished trials are read, not run, and
 * unfinished ones continue from their checkpoints. The folder is locked while a sweep uses it.
 */
public final class Sweep {
    /** The file in a sweep's folder that records its command line. */
    public static final String SPEC = "sweep.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Sweep() {
    }

    /**
     * What the summary ranks settings by.
     *
     * @param name     a figure of the trials' results
     * @param minimize whether lower is better
     */
    public record Objective(String name, boolean minimize) {
        /**
         * Reads {@code NAME}, {@code NAME:min} or {@code NAME:max}; without a direction, figures named like a loss
         * (nll, loss, elbo, fid, kl, error) are minimised and others maximised.
         *
         * @param text the objective
         * @return the objective
         * @throws IllegalArgumentException naming the text when the direction is neither min nor max
         */
        public static Objective parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                return new Objective(text, text.matches("(?i).*(nll|loss|elbo|fid|kl|error).*"));
            }
            String dir = text.substring(colon + 1);
            if (!dir.equals("min") && !dir.equals("max")) {
                throw new IllegalArgumentException("--objective " + text + ": the direction is min or max");
            }
            return new Objective(text.substring(0, colon), dir.equals("min"));
        }

        /** The default among the figures: the test NLL of a VAE, the Fréchet distance, the modes covered of the mixture. */
        static Objective defaultFor(Set<String> figures) {
            for (String name : List.of("test_iw_nll", "fid", "modes_covered")) {
                if (figures.contains(name)) {
                    return parse(name);
                }
            }
            return null;
        }
    }

    /**
     * Runs (or continues) the sweep into {@code dir} and writes its summary.
     *
     * @param spec      the sweep
     * @param objective what to rank settings by, or null for the default of the figures
     * @param dir       the sweep's folder
     * @param executor  where the trials run
     * @param program   the program that runs a trial's command line
     * @param log       where progress lines go
     * @return the summary also written to {@code summary.json}
     * @throws IllegalArgumentException when the folder holds another sweep or other files, or another process uses it
     * @throws TaskFailedException naming the trials that failed, after the summary of the others is written
     * @throws IOException when files cannot be written
     */
    public static Map<String, Object> run(SweepSpec spec, Objective objective, Path dir, TaskExecutor executor,
                                          Class<? extends CommandLineProgram> program, PrintStream log) throws IOException {
        RunFolder folder = new RunFolder(dir);
        checkFolder(spec, dir);
        try (RunFolder.Lock ignored = folder.lock()) {
            checkFolder(spec, dir); // again, now that no other sweep can start here
            folder.writeText(SPEC, JSON.writeValueAsString(Map.of("command_line", spec.commandLine())) + "\n");
            List<SweepSpec.Trial> trials = spec.trials();
            List<Task> tasks = new ArrayList<>();
            int finished = 0;
            for (SweepSpec.Trial t : trials) {
                Path trialDir = dir.resolve("trials").resolve(t.id()).toAbsolutePath();
                finished += Files.isRegularFile(trialDir.resolve(SweepTrial.DONE)) ? 1 : 0;
                List<String> args = new ArrayList<>(List.of(program.getName(), trialDir.toString(), spec.command()));
                args.addAll(t.args());
                tasks.add(new Task(t.id(), SweepTrial.class.getName(), args));
            }
            int settings = trials.size() / Math.max(1, spec.seeds().size());
            int seeds = Math.max(1, spec.seeds().size());
            log.printf("sweep: %d trials of %s (%d setting%s x %d seed%s)%s on %s; writes to %s%n", trials.size(),
                    spec.command(), settings, settings == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s",
                    finished > 0 ? ", " + finished + " finished already" : "", executor.describe(), dir);
            TaskFailedException failure = null;
            try {
                executor.runAll(tasks, log);
            } catch (TaskFailedException e) {
                failure = e;
            }
            Map<String, Object> summary = summarize(spec, objective, dir, trials, executor.describe(), log);
            if (failure != null) {
                throw failure;
            }
            return summary;
        }
    }

    /**
     * The command line a sweep's folder records (as {@link SweepSpec#commandLine()} wrote it), to continue it.
     *
     * @param dir the sweep's folder
     * @return the arguments after {@code sweep}
     * @throws IllegalArgumentException when the folder holds no sweep
     * @throws IOException when the record cannot be read
     */
    public static List<String> recordedCommandLine(Path dir) throws IOException {
        Path recorded = dir.resolve(SPEC);
        if (!Files.isRegularFile(recorded)) {
            throw new IllegalArgumentException("--resume: " + recorded + " does not exist (is --output a sweep's folder?)");
        }
        List<String> line = new ObjectMapper().readValue(recorded.toFile(),
                new TypeReference<Map<String, List<String>>>() { }).get("command_line");
        if (line == null) {
            throw new IOException(recorded + ": not a sweep's record (no command_line)");
        }
        return new ArrayList<>(line);
    }

    /** Refuses a folder that holds another sweep or files that are not a sweep's. */
    private static void checkFolder(SweepSpec spec, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + dir + " is not a folder");
        }
        Path specFile = dir.resolve(SPEC);
        if (Files.isRegularFile(specFile)) {
            List<String> recorded;
            try {
                Map<String, List<String>> m = new ObjectMapper().readValue(specFile.toFile(),
                        new TypeReference<Map<String, List<String>>>() { });
                recorded = m.get("command_line");
            } catch (IOException e) {
                throw new IOException(specFile + ": not a sweep's record: " + e.getMessage(), e);
            }
            if (!spec.commandLine().equals(recorded)) {
                throw new IllegalArgumentException("--output " + dir + " holds another sweep (sweep "
                        + String.join(" ", recorded == null ? List.of() : recorded) + "); give the same grid to continue "
                        + "it, or choose another folder");
            }
        } else if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                List<String> other = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunFolder.LOCK)
                        && !n.startsWith(".tmp")).sorted().limit(3).toList();
                if (!other.isEmpty()) {
                    throw new IllegalArgumentException("--output " + dir + " already holds files that are not a sweep's ("
                            + String.join(", ", other) + "); choose another folder");
                }
            }
        }
    }

    /** Reads every finished trial and writes trials.csv, summary.json and report.html. */
    private static Map<String, Object> summarize(SweepSpec spec, Objective objective, Path dir, List<SweepSpec.Trial> trials,
                                                 String executor, PrintStream log) throws IOException {
        List<Map<String, Double>> figures = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (SweepSpec.Trial t : trials) {
            Path done = dir.resolve("trials").resolve(t.id()).resolve(SweepTrial.DONE);
            if (Files.isRegularFile(done)) {
                Map<String, Object> r = new ObjectMapper().readValue(Files.readString(done, StandardCharsets.UTF_8),
                        new TypeReference<Map<String, Object>>() { });
                Map<String, Double> f = new LinkedHashMap<>();
                ((Map<?, ?>) r.get("figures")).forEach((k, v) -> {
                    if (!List.of("seed", "quick").contains(k.toString())) {
                        f.put(k.toString(), ((Number) v).doubleValue());
                    }
                });
                names.addAll(f.keySet());
                figures.add(f);
                seconds.add(((Number) r.get("seconds")).doubleValue());
            } else {
                figures.add(null);
                seconds.add(null);
            }
        }
        Objective obj = objective != null ? objective : Objective.defaultFor(names);
        if (obj != null && !names.isEmpty() && !names.contains(obj.name())) {
            throw new IllegalArgumentException("--objective " + obj.name() + ": not a figure of these trials (they have: "
                    + String.join(", ", names) + ")");
        }
        // trials.csv
        List<String> axes = spec.axes().keySet().stream().map(f -> f.substring(2)).toList();
        StringBuilder csv = new StringBuilder("trial");
        axes.forEach(a -> csv.append(',').append(a));
        csv.append(",seed,status,wall_seconds");
        names.forEach(n -> csv.append(',').append(n));
        csv.append('\n');
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            SweepSpec.Trial t = trials.get(i);
            Map<String, Double> f = figures.get(i);
            csv.append(t.id());
            axes.forEach(a -> csv.append(',').append(t.setting().get(a)));
            csv.append(',').append(t.seed() == null ? "" : t.seed()).append(',').append(f == null ? "unfinished" : "done")
                    .append(',').append(f == null ? "" : String.format(Locale.ROOT, "%.1f", seconds.get(i)));
            names.forEach(n -> csv.append(',').append(f == null || !f.containsKey(n) ? "" : number(f.get(n))));
            csv.append('\n');
            List<Object> row = new ArrayList<>();
            row.add(t.id());
            row.add(t.setting().isEmpty() ? "-" : t.setting().toString());
            row.add(t.seed() == null ? "-" : t.seed());
            row.add(f == null ? "unfinished" : obj == null ? "done" : number(f.get(obj.name())));
            row.add(f == null ? "" : String.format(Locale.ROOT, "%.1f", seconds.get(i)));
            rows.add(row);
        }
        // per setting
        Map<Map<String, String>, List<Map<String, Double>>> bySetting = new LinkedHashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            List<Map<String, Double>> list = bySetting.computeIfAbsent(trials.get(i).setting(), k -> new ArrayList<>());
            if (figures.get(i) != null) {
                list.add(figures.get(i));
            }
        }
        List<Map<String, Object>> settings = new ArrayList<>();
        Map<String, Object> best = null;
        double bestMean = Double.NaN;
        for (Map.Entry<Map<String, String>, List<Map<String, Double>>> e : bySetting.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("setting", e.getKey());
            s.put("trials", e.getValue().size());
            Map<String, Object> stats = new LinkedHashMap<>();
            for (String n : names) {
                double[] v = e.getValue().stream().filter(f -> f.containsKey(n)).mapToDouble(f -> f.get(n)).toArray();
                if (v.length > 0) {
                    stats.put(n, meanAndError(v));
                }
            }
            s.put("figures", stats);
            settings.add(s);
            if (obj != null && stats.get(obj.name()) instanceof Map<?, ?> m) {
                double mean = (Double) m.get("mean");
                if (best == null || (obj.minimize() ? mean < bestMean : mean > bestMean)) {
                    best = s;
                    bestMean = mean;
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command_line", spec.commandLine());
        summary.put("executor", executor);
        summary.put("trials", trials.size());
        summary.put("finished", figures.stream().filter(f -> f != null).count());
        summary.put("objective", obj == null ? null : obj.name());
        summary.put("minimize", obj == null ? null : obj.minimize());
        summary.put("best", best == null ? null : best.get("setting"));
        summary.put("settings", settings);
        RunFolder out = new RunFolder(dir);
        out.writeText("trials.csv", csv.toString());
        out.writeText("summary.json", JSON.writeValueAsString(summary) + "\n");
        report(spec, obj, executor, summary, settings, rows, out);
        if (obj != null && best != null) {
            Map<?, ?> stat = (Map<?, ?>) ((Map<?, ?>) best.get("figures")).get(obj.name());
            log.printf(Locale.ROOT, "sweep: %d of %d trials finished; %s%s %s +- %s (mean +- SE over %d); wrote %s%n",
                    (long) summary.get("finished"), trials.size(), ((Map<?, ?>) best.get("setting")).isEmpty() ? ""
                            : "best " + best.get("setting") + ": ", obj.name(),
                    number((Double) stat.get("mean")), number((Double) stat.get("se")), (int) best.get("trials"),
                    dir.resolve("report.html"));
        } else {
            log.printf("sweep: %d of %d trials finished; wrote %s%n", (long) summary.get("finished"), trials.size(),
                    dir.resolve("report.html"));
        }
        return summary;
    }

    private static void report(SweepSpec spec, Objective obj, String executor, Map<String, Object> summary,
                               List<Map<String, Object>> settings, List<List<?>> trialRows, RunFolder out) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "sweep " + String.join(" ", spec.commandLine()));
        config.put("executor", executor);
        config.put("trials", summary.get("trials"));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("finished trials", summary.get("finished") + " of " + summary.get("trials"));
        Report report = new Report("Sweep of " + spec.command());
        List<List<?>> settingRows = new ArrayList<>();
        double[] x = new double[settings.size()];
        double[] mean = new double[settings.size()];
        double[] lo = new double[settings.size()];
        double[] hi = new double[settings.size()];
        for (int i = 0; i < settings.size(); i++) {
            Map<String, Object> s = settings.get(i);
            Map<?, ?> stat = obj == null ? null : (Map<?, ?>) ((Map<?, ?>) s.get("figures")).get(obj.name());
            x[i] = i + 1;
            mean[i] = stat == null ? Double.NaN : (Double) stat.get("mean");
            double se = stat == null ? Double.NaN : (Double) stat.get("se");
            lo[i] = mean[i] - (Double.isNaN(se) ? 0 : se);
            hi[i] = mean[i] + (Double.isNaN(se) ? 0 : se);
            settingRows.add(List.of(i + 1, ((Map<?, ?>) s.get("setting")).isEmpty() ? "-" : s.get("setting").toString(),
                    s.get("trials"), stat == null ? "" : number(mean[i]) + " +- " + number(se)));
        }
        if (obj != null) {
            results.put("objective", obj.name() + (obj.minimize() ? " (lower is better)" : " (higher is better)"));
            Object best = summary.get("best");
            results.put("best setting", best == null ? "-" : ((Map<?, ?>) best).isEmpty() ? "the only one" : best.toString());
            boolean plottable = java.util.Arrays.stream(mean).allMatch(Double::isFinite);
            if (plottable) {
                report.picture("Each setting's mean " + obj.name() + " over its seeds, with one standard error either side",
                        Charts.line(obj.name() + " by setting (mean +- SE)", "setting", obj.name(), x,
                                List.of("mean", "mean - SE", "mean + SE"), List.of(mean, lo, hi)));
            }
        }
        report.config(config).results(results)
                .table("Settings", List.of("setting", "values", "trials", obj == null ? "objective" : obj.name() + " (mean +- SE)"),
                        settingRows)
                .table("Trials (each a run folder in trials/ with its own report)",
                        List.of("trial", "values", "seed", obj == null ? "status" : obj.name(), "wall seconds"), trialRows)
                .write(out);
    }

    /** Mean and standard error (sample standard deviation over the square root of n; NaN for one value). */
    static Map<String, Object> meanAndError(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double var = java.util.Arrays.stream(v).map(a -> (a - mean) * (a - mean)).sum() / (v.length - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("se", v.length > 1 ? Math.sqrt(var / v.length) : Double.NaN);
        m.put("n", v.length);
        return m;
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Math.abs(v) >= 1000 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
