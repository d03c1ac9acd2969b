package org.autodiff4j.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.autodiff4j.models.train.EpochRecord;

/**
 * One self-contained {@code report.html} for a run: the configuration, the results, a chart per figure of
 * the epochs' history (train and validation side by side), every picture (embedded, so the page is one
 * file that can be mailed or archived), any tables of rows (a sweep's seeds), and the epochs' table.
 * <pre>{@code
 * new Report("VAE on binarized MNIST").config(settings).results(figures).history(loop.state().history())
 *         .picture("Samples after the last epoch", pngBytes).write(folder);
 * }</pre>
 */
public final class Report {
    private final String title;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<EpochRecord> history = new ArrayList<>();
    private final List<String[]> pictures = new ArrayList<>();
    private final List<Rows> tables = new ArrayList<>();

    /** A titled table of rows under named columns. */
    private record Rows(String heading, List<String> columns, List<List<?>> rows) {
    }

    /**
     * An empty report.
     *
     * @param title the page's title and heading
     */
    public Report(String title) {
        this.title = title;
    }

    /**
     * Adds settings to the configuration table.
     *
     * @param settings names and values, in order
     * @return this report
     */
    public Report config(Map<String, ?> settings) {
        config.putAll(settings);
        return this;
    }

    /**
     * Adds figures to the results table.
     *
     * @param figures names and values, in order
     * @return this report
     */
    public Report results(Map<String, ?> figures) {
        results.putAll(figures);
        return this;
    }

    /**
     * Sets the epochs' history: a chart per figure and a table.
     *
     * @param records the epochs' records
     * @return this report
     */
    public Report history(List<EpochRecord> records) {
        history.clear();
        history.addAll(records);
        return this;
    }

    /**
     * Adds a picture.
     *
     * @param caption what it shows
     * @param png     the picture as PNG bytes
     * @return this report
     */
    public Report picture(String caption, byte[] png) {
        pictures.add(new String[] {caption, Base64.getEncoder().encodeToString(png)});
        return this;
    }

    /**
     * Adds a table of rows under named columns, after the pictures (for example one row per seed of a sweep).
     *
     * @param heading the table's heading
     * @param columns the columns' names
     * @param rows    the rows, each as long as {@code columns}
     * @return this report
     * @throws IllegalArgumentException naming the row when a row's length differs from the columns'
     */
    public Report table(String heading, List<String> columns, List<? extends List<?>> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != columns.size()) {
                throw new IllegalArgumentException("report table '" + heading + "': row " + i + " has " + rows.get(i).size()
                        + " values for " + columns.size() + " columns");
            }
        }
        tables.add(new Rows(heading, List.copyOf(columns), List.copyOf(rows)));
        return this;
    }

    /**
     * Writes {@code report.html} into the folder.
     *
     * @param folder the run's folder
     * @return the page's path
     * @throws IOException when it cannot be written
     */
    public Path write(RunFolder folder) throws IOException {
        return folder.writeText("report.html", html());
    }

    /**
     * The page.
     *
     * @return the whole HTML document
     */
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\n")
                .append("h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}\n")
                .append("table{border-collapse:collapse;font-size:.9em}td,th{padding:.25em .8em;border-bottom:1px solid #eee;")
                .append("text-align:left}th{background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".grid{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:0;max-width:820px}figure img{max-width:100%;")
                .append("border:1px solid #ddd;image-rendering:pixelated}figcaption{font-size:.85em;color:#555}\n")
                .append(".tables{display:flex;gap:3em;flex-wrap:wrap}.tables>div{flex:1 1 420px;min-width:0}")
                .append("td{overflow-wrap:anywhere}\n</style></head><body>\n<h1>").append(esc(title))
                .append("</h1>\n<div class=\"tables\">");
        table(h, "Results", results);
        table(h, "Configuration", config);
        h.append("</div>\n");
        List<String[]> charts = charts();
        if (!charts.isEmpty() || !pictures.isEmpty()) {
            h.append("<h2>Curves and pictures</h2>\n<div class=\"grid\">\n");
            for (String[] p : charts) {
                figure(h, p);
            }
            for (String[] p : pictures) {
                figure(h, p);
            }
            h.append("</div>\n");
        }
        for (Rows t : tables) {
            rows(h, t);
        }
        if (!history.isEmpty()) {
            rows(h, epochs());
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** A chart per figure name after its {@code train.}/{@code valid.} prefix, the prefixes as its series. */
    private List<String[]> charts() {
        if (history.size() < 2) {
            return List.of();
        }
        Map<String, Map<String, double[]>> groups = new LinkedHashMap<>();
        double[] x = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            EpochRecord r = history.get(i);
            x[i] = r.epoch();
            for (Map.Entry<String, Double> f : r.figures().entrySet()) {
                String name = f.getKey();
                int dot = name.indexOf('.');
                String base = dot < 0 ? name : name.substring(dot + 1);
                String series = dot < 0 ? name : name.substring(0, dot);
                groups.computeIfAbsent(base, k -> new LinkedHashMap<>())
                        .computeIfAbsent(series, k -> new double[history.size()])[i] = f.getValue();
            }
        }
        List<String[]> out = new ArrayList<>();
        groups.forEach((base, series) -> out.add(new String[] {base + " per epoch", Base64.getEncoder().encodeToString(
                Charts.line(base, "epoch", base, x, List.copyOf(series.keySet()), List.copyOf(series.values())))}));
        return out;
    }

    /** The epochs' history as rows: epoch, step, every figure, seconds. */
    private Rows epochs() {
        Set<String> names = new LinkedHashSet<>();
        history.forEach(r -> names.addAll(r.figures().keySet()));
        List<String> columns = new ArrayList<>(List.of("epoch", "step"));
        columns.addAll(names);
        columns.add("seconds");
        List<List<?>> rows = new ArrayList<>();
        for (EpochRecord r : history) {
            List<Object> row = new ArrayList<>(List.of(r.epoch(), r.step()));
            names.forEach(n -> row.add(r.figures().get(n)));
            row.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
            rows.add(row);
        }
        return new Rows("Epochs", columns, rows);
    }

    private static void rows(StringBuilder h, Rows t) {
        h.append("<h2>").append(esc(t.heading())).append("</h2>\n<table><tr>");
        t.columns().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<?> row : t.rows()) {
            h.append("<tr>");
            row.forEach(v -> h.append("<td class=\"n\">").append(esc(value(v))).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void figure(StringBuilder h, String[] p) {
        h.append("<figure><img alt=\"").append(esc(p[0])).append("\" src=\"data:image/png;base64,").append(p[1])
                .append("\"><figcaption>").append(esc(p[0])).append("</figcaption></figure>\n");
    }

    private static void table(StringBuilder h, String heading, Map<String, Object> rows) {
        if (rows.isEmpty()) {
            return;
        }
        h.append("<div><h2>").append(esc(heading)).append("</h2><table>\n");
        rows.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td class=\"")
                .append(v instanceof Number ? "n" : "").append("\">").append(esc(value(v))).append("</td></tr>\n"));
        h.append("</table></div>\n");
    }

    /**
     * A value as a person reads it: numbers rounded to what they mean (two decimals from 100 up, three from 1,
     * four significant digits below), arrays and lists as comma-separated values, maps as "key: value" pairs.
     */
    static String value(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return number(((Number) v).doubleValue());
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.stream(a).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(", "));
        }
        if (v instanceof long[] a) {
            return java.util.Arrays.stream(a).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "));
        }
        if (v instanceof double[] a) {
            return java.util.Arrays.stream(a).mapToObj(Report::number).collect(java.util.stream.Collectors.joining(", "));
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.stream().map(Report::value).collect(java.util.stream.Collectors.joining(", "));
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + ": " + value(e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
        return v == null ? "" : v.toString();
    }

    private static String number(double d) {
        double a = Math.abs(d);
        if (Double.isNaN(d) || Double.isInfinite(d) || a == 0) {
            return a == 0 ? "0" : Double.toString(d);
        }
        if (a >= 1e6 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        String s = a >= 100 ? String.format(Locale.ROOT, "%.2f", d) : a >= 1 ? String.format(Locale.ROOT, "%.3f", d)
                : new java.math.BigDecimal(d).round(new java.math.MathContext(4)).toPlainString();
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
