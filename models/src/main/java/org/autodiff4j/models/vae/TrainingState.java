package org.autodiff4j.models.vae;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Where a {@link VaeTrainer} run is, beyond the model's and the optimiser's state: the epoch and step,
 * the random generator's position (at the epoch's start, to redraw its shuffle, and now), the epoch's
 * running sums, the history of finished epochs and the best parameters so far. Round-trips exactly
 * through checkpoint metadata ({@code trainer.*} keys, doubles in Java's shortest exact form) and
 * tensors ({@code best.*}).
 */
public final class TrainingState {
    private static final String PREFIX = "trainer.";
    private static final String BEST = "best.";

    int epoch = 1;
    int batchesDone;
    long step;
    Generator.State epochStart;
    Generator.State current;
    double loss;
    double recon;
    double kl;
    long examples;
    double secondsBefore;
    final List<VaeTrainer.EpochResult> history = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    int sinceBest;
    Map<String, Tensor> bestParams;
    double baseRate = Double.NaN;
    boolean finished;
    // this session only, not saved
    double lastLoss;
    long examplesThisSession;

    /** The state of a run that has not started. */
    public TrainingState() {
    }

    void startEpoch(Generator.State at) {
        epochStart = at;
        loss = 0;
        recon = 0;
        kl = 0;
        examples = 0;
        secondsBefore = 0;
    }

    /**
     * The finished epochs' figures.
     *
     * @return the finished epochs' figures
     */
    public List<VaeTrainer.EpochResult> history() {
        return List.copyOf(history);
    }

    /**
     * Whether training ended (all epochs or an early stop): a resume goes straight to evaluation.
     *
     * @return whether training ended (all epochs or an early stop)
     */
    public boolean finished() {
        return finished;
    }

    /**
     * Optimiser steps taken.
     *
     * @return optimiser steps taken
     */
    public long step() {
        return step;
    }

    /** The metadata entries of this state. */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "epoch", Integer.toString(epoch));
        m.put(PREFIX + "batches_done", Integer.toString(batchesDone));
        m.put(PREFIX + "step", Long.toString(step));
        m.put(PREFIX + "generator", current.toString());
        m.put(PREFIX + "generator_epoch_start", epochStart == null ? "-" : epochStart.toString());
        m.put(PREFIX + "sums", join(loss, recon, kl, examples, secondsBefore));
        m.put(PREFIX + "best", join(best, sinceBest));
        m.put(PREFIX + "base_rate", Double.toString(baseRate));
        m.put(PREFIX + "finished", Boolean.toString(finished));
        StringBuilder h = new StringBuilder();
        for (VaeTrainer.EpochResult r : history) {
            h.append(h.length() == 0 ? "" : ";").append(join(r.epoch(), r.train().loss(), r.train().reconstruction(),
                    r.train().kl(), r.valid().loss(), r.valid().reconstruction(), r.valid().kl(), r.seconds(),
                    r.learningRate()));
        }
        m.put(PREFIX + "history", h.toString());
        return m;
    }

    /** The tensors of this state: the best parameters so far, when kept. */
    Map<String, Tensor> tensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        if (bestParams != null) {
            bestParams.forEach((name, value) -> t.put(BEST + name, value));
        }
        return t;
    }

    /**
     * The state saved in a checkpoint's metadata and trainer tensors.
     *
     * @param metadata the checkpoint's metadata
     * @param tensors the checkpoint's trainer tensors
     * @return the state saved in a checkpoint's metadata and trainer tensors
     * @throws IllegalArgumentException naming the entry that is missing or malformed
     */
    public static TrainingState fromCheckpoint(Map<String, String> metadata, Map<String, Tensor> tensors) {
        TrainingState s = new TrainingState();
        s.epoch = (int) number(metadata, "epoch", 0);
        s.batchesDone = (int) number(metadata, "batches_done", 0);
        s.step = (long) number(metadata, "step", 0);
        s.current = Generator.State.parse(required(metadata, "generator"));
        String start = required(metadata, "generator_epoch_start");
        s.epochStart = start.equals("-") ? null : Generator.State.parse(start);
        double[] sums = numbers(metadata, "sums", 5);
        s.loss = sums[0];
        s.recon = sums[1];
        s.kl = sums[2];
        s.examples = (long) sums[3];
        s.secondsBefore = sums[4];
        double[] best = numbers(metadata, "best", 2);
        s.best = best[0];
        s.sinceBest = (int) best[1];
        s.baseRate = numbers(metadata, "base_rate", 1)[0];
        s.finished = Boolean.parseBoolean(required(metadata, "finished"));
        String history = required(metadata, "history");
        for (String record : history.isEmpty() ? new String[0] : history.split(";")) {
            double[] v = parse(record, 9, "history");
            s.history.add(new VaeTrainer.EpochResult((int) v[0], new VaeTrainer.Evaluation(v[1], v[2], v[3]),
                    new VaeTrainer.Evaluation(v[4], v[5], v[6]), v[7], v[8]));
        }
        Map<String, Tensor> best2 = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (name.startsWith(BEST)) {
                best2.put(name.substring(BEST.length()), t);
            }
        });
        s.bestParams = best2.isEmpty() ? null : best2;
        if (s.epoch < 1 || s.batchesDone < 0 || s.batchesDone > 0 && s.epochStart == null) {
            throw new IllegalArgumentException("trainer state is inconsistent: epoch " + s.epoch + ", batches done "
                    + s.batchesDone);
        }
        return s;
    }

    private static String required(Map<String, String> metadata, String key) {
        String v = metadata.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("no '" + PREFIX + key + "' entry: not a resumable training checkpoint");
        }
        return v;
    }

    private static double number(Map<String, String> metadata, String key, double min) {
        double v = numbers(metadata, key, 1)[0];
        if (!(v >= min)) {
            throw new IllegalArgumentException("'" + PREFIX + key + "' is " + v + ", expected at least " + min);
        }
        return v;
    }

    private static double[] numbers(Map<String, String> metadata, String key, int count) {
        return parse(required(metadata, key), count, key);
    }

    private static double[] parse(String text, int count, String key) {
        String[] parts = text.split(",");
        if (parts.length != count) {
            throw new IllegalArgumentException("'" + PREFIX + key + "' holds " + parts.length + " numbers, expected "
                    + count + ": '" + text + "'");
        }
        double[] v = new double[count];
        try {
            for (int i = 0; i < count; i++) {
                v[i] = Double.parseDouble(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + PREFIX + key + "' is not a list of numbers: '" + text + "'");
        }
        return v;
    }

    private static String join(double... values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ",");
            b.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%d", (long) v) : Double.toString(v));
        }
        return b.toString();
    }
}
