package org.autodiff4j.runs.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a {@link Sweep} runs: one command, its fixed arguments, a grid of flags each with several values, and seeds.
 * Trials are every combination of the grid's values (the first flag changing slowest) times every seed (fastest).
 * On a command line, a flag whose value holds commas is a grid axis ({@code --lr 1e-3,3e-4}); for a flag that takes
 * a list itself ({@code --hidden 128,128}) the values are separated by {@code /} instead ({@code --hidden 128,128/256,256}).
 *
 * @param command the command each trial runs, e.g. {@code train-vae}
 * @param fixed   its arguments shared by every trial
 * @param axes    the grid: each flag (with its dashes) and its values, in order
 * @param seeds   the seeds, each trial given {@code --seed S}; empty for none
 */
public record SweepSpec(String command, List<String> fixed, Map<String, List<String>> axes, List<Long> seeds) {
    /** The most trials one sweep may hold. */
    public static final int MAX_TRIALS = 10_000;

    /**
     * Checks and copies.
     *
     * @param command the command each trial runs
     * @param fixed   its arguments shared by every trial
     * @param axes    the grid
     * @param seeds   the seeds
     */
    public SweepSpec {
        fixed = List.copyOf(fixed);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        axes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        axes = java.util.Collections.unmodifiableMap(copy);
        seeds = List.copyOf(seeds);
    }

    /**
     * One trial: its number, its folder name, the grid's values and the seed it runs with, and its arguments.
     *
     * @param index   its number, from 0
     * @param id      its folder's name, e.g. {@code 003_lr-0.001_seed-2}
     * @param setting the grid's flags (without dashes) and the values this trial has
     * @param seed    its seed, or null without seeds
     * @param args    the command's arguments (without the command's name and without {@code --output})
     */
    public record Trial(int index, String id, Map<String, String> setting, Long seed, List<String> args) {
    }

    /**
     * Reads a sweep from a command line.
     *
     * @param command  the command each trial runs
     * @param args     its arguments, grid axes among them
     * @param seeds    {@code A-B} or {@code A,B,...}, or null for none
     * @param listFlag which of the command's flags take a comma-separated list as one value
     * @return the sweep
     * @throws IllegalArgumentException naming the flag or value that is wrong
     */
    public static SweepSpec parse(String command, List<String> args, String seeds, Predicate<String> listFlag) {
        if (command == null || command.isBlank() || command.startsWith("-")) {
            throw new IllegalArgumentException("the command to sweep comes first (for example: sweep train-vae "
                    + "--lr 1e-3,3e-4 --seeds 0-9), got " + (command == null ? "none" : "'" + command + "'"));
        }
        List<String> fixed = new ArrayList<>();
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String flag;
            String value;
            if (a.startsWith("--") && a.contains("=")) {
                flag = a.substring(0, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("--") && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                flag = a;
                value = args.get(++i);
            } else {
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("'" + a + "' is not a flag of " + command
                            + " (its arguments are --flag value pairs)");
                }
                flag = a;
                value = null;
            }
            if (List.of("--output", "--resume").contains(flag)) {
                throw new IllegalArgumentException("" + flag + " is the sweep's to give: each trial runs in "
                        + "TRIALS/ID of the sweep's --output and continues from its checkpoint by itself");
            }
            if (flag.equals("--seed") && seeds != null) {
                throw new IllegalArgumentException("give either --seeds or " + command + "'s --seed, not both");
            }
            if (axes.containsKey(flag) || fixed.contains(flag)) {
                throw new IllegalArgumentException("" + flag + " is given twice; list its values once, "
                        + (listFlag.test(flag) ? "separated by /" : "separated by commas"));
            }
            String separator = listFlag.test(flag) ? "/" : ",";
            if (value != null && value.contains(separator)) {
                List<String> values = List.of(value.split(java.util.regex.Pattern.quote(separator), -1));
                if (values.stream().anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException("" + flag + " " + value + ": an empty value in the grid "
                            + "(values are separated by '" + separator + "')");
                }
                if (new LinkedHashSet<>(values).size() != values.size()) {
                    throw new IllegalArgumentException("" + flag + " " + value + ": a value is repeated");
                }
                axes.put(flag, values);
            } else {
                fixed.add(flag);
                if (value != null) {
                    fixed.add(value);
                }
            }
        }
        SweepSpec spec = new SweepSpec(command, fixed, axes, seeds == null ? List.of() : parseSeeds(seeds));
        long trials = spec.trialCount();
        if (trials > MAX_TRIALS) {
            throw new IllegalArgumentException("" + trials + " trials; at most " + MAX_TRIALS + " in one sweep");
        }
        return spec;
    }

    /**
     * The words of a sweep's file ({@code --spec FILE}): separated by whitespace, {@code #} starting a comment.
     *
     * @param file the file
     * @return its words, in order
     * @throws java.io.IOException when it cannot be read
     * @throws IllegalArgumentException naming the file when it does not exist
     */
    public static List<String> readWords(java.nio.file.Path file) throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--spec " + file + " does not exist");
        }
        List<String> words = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String text = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String word : text.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    /**
     * A command's arguments without some of its flags and their values (both the {@code --flag value} and the
     * {@code --flag=value} forms), e.g. to sweep a run's own arguments over seeds.
     *
     * @param args  the arguments
     * @param flags the flags to leave out, each taking one value
     * @return the other arguments, in order
     */
    public static List<String> without(List<String> args, String... flags) {
        List<String> drop = List.of(flags);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (drop.contains(a)) {
                i++;
            } else if (drop.stream().noneMatch(f -> a.startsWith(f + "="))) {
                kept.add(a);
            }
        }
        return kept;
    }

    /**
     * Takes {@code --seeds VALUE} out of {@code words} (a recorded command line or a spec file's words).
     *
     * @param words the words, changed in place
     * @return the seeds' value, or null when there is none
     */
    public static String takeSeeds(List<String> words) {
        int at = words.indexOf("--seeds");
        if (at < 0 || at + 1 >= words.size()) {
            return null;
        }
        String value = words.get(at + 1);
        words.subList(at, at + 2).clear();
        return value;
    }

    /**
     * Seeds from {@code A-B} (inclusive) or {@code A,B,...}.
     *
     * @param text the seeds
     * @return the seeds
     * @throws IllegalArgumentException naming the text when it is neither form
     */
    public static List<Long> parseSeeds(String text) {
        String t = text.strip();
        try {
            List<Long> out = new ArrayList<>();
            java.util.regex.Matcher range = java.util.regex.Pattern.compile("(\\d+)-(\\d+)").matcher(t);
            if (range.matches()) {
                long from = Long.parseLong(range.group(1));
                long to = Long.parseLong(range.group(2));
                if (to < from || to - from >= MAX_TRIALS) {
                    throw new IllegalArgumentException("--seeds " + text + ": a range from A to B >= A, at most "
                            + MAX_TRIALS + " seeds");
                }
                for (long s = from; s <= to; s++) {
                    out.add(s);
                }
                return out;
            }
            for (String part : t.split(",", -1)) {
                out.add(Long.parseLong(part.strip()));
            }
            if (new LinkedHashSet<>(out).size() != out.size()) {
                throw new IllegalArgumentException("--seeds " + text + ": a seed is repeated");
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds " + text + ": expected a range A-B or a list A,B,... of whole numbers");
        }
    }

    /**
     * The number of trials.
     *
     * @return the number of trials
     */
    public long trialCount() {
        long n = Math.max(1, seeds.size());
        for (List<String> v : axes.values()) {
            n *= v.size();
        }
        return n;
    }

    /**
     * Every trial, the first axis changing slowest and the seed fastest.
     *
     * @return the trials
     */
    public List<Trial> trials() {
        List<Map<String, String>> settings = new ArrayList<>();
        settings.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> s : settings) {
                for (String v : axis.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(s);
                    m.put(axis.getKey().substring(2), v);
                    next.add(m);
                }
            }
            settings = next;
        }
        List<Trial> trials = new ArrayList<>();
        for (Map<String, String> s : settings) {
            for (Long seed : seeds.isEmpty() ? java.util.Collections.<Long>singletonList(null) : seeds) {
                int index = trials.size();
                List<String> args = new ArrayList<>(fixed);
                StringBuilder id = new StringBuilder(String.format("%03d", index));
                s.forEach((flag, value) -> {
                    args.add("--" + flag);
                    args.add(value);
                    id.append('_').append(flag).append('-').append(value);
                });
                if (seed != null) {
                    args.add("--seed");
                    args.add(seed.toString());
                    id.append("_seed-").append(seed);
                }
                String name = id.toString().replaceAll("[^A-Za-z0-9._=-]", "_");
                trials.add(new Trial(index, name.length() > 100 ? name.substring(0, 100) : name,
                        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(s)), seed, List.copyOf(args)));
            }
        }
        return trials;
    }

    /**
     * The command line that gives this sweep back through {@link #parse}, for records and messages.
     *
     * @return the arguments after {@code sweep}
     */
    public List<String> commandLine() {
        List<String> out = new ArrayList<>();
        out.add(command);
        out.addAll(fixed);
        axes.forEach((flag, values) -> {
            out.add(flag);
            out.add(String.join(values.stream().anyMatch(v -> v.contains(",")) ? "/" : ",", values));
        });
        if (!seeds.isEmpty()) {
            out.add("--seeds");
            out.add(seeds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        }
        return out;
    }
}
