package org.autodiff4j.models.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Where a {@link TrainLoop} run stands, all a checkpoint needs to continue it bit for bit: the epoch and
 * step, the generator's position now and at the epoch's start (to replay the epoch's shuffle), the epoch's
 * running sums, the finished epochs, early stopping's best figure and parameters, and the step curve.
 * Saved as the JSON metadata entry {@code trainer.state} and the tensors {@code trainer.best.NAME} and
 * {@code trainer.curve}.
 */
public final class RunState {
    /** The metadata entry holding the state. */
    static final String KEY = "trainer.state";
    /** The layout version this code writes and reads. */
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    int epoch = 1;
    int stepInEpoch;
    long step;
    Generator.State current;
    Generator.State epochStart;
    Map<String, Double> sums = new LinkedHashMap<>();
    double weight;
    double secondsBefore;
    final List<EpochRecord> history = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    int sinceBest;
    Map<String, Tensor> bestParams;
    boolean finished;
    final List<String> curveNames = new ArrayList<>();
    final List<double[]> curve = new ArrayList<>();

    /** A fresh run, at epoch 1, step 0. */
    public RunState() {
    }

    /**
     * The finished epochs' records, including those of earlier sessions of a resumed run.
     *
     * @return the history
     */
    public List<EpochRecord> history() {
        return List.copyOf(history);
    }

    /**
     * Steps taken so far.
     *
     * @return the run's step count
     */
    public long step() {
        return step;
    }

    /**
     * Whether training ended (all epochs, an early stop or the step budget).
     *
     * @return true when a resume has nothing left to train
     */
    public boolean finished() {
        return finished;
    }

    /**
     * The step curve: every few steps (as {@link TrainLoop.Options#curveEvery()} says) the step number
     * followed by the step's figures.
     *
     * @return rows of step, figure, figure, ...
     */
    public List<double[]> curve() {
        return List.copyOf(curve);
    }

    /**
     * The names of the curve's figures, in the order of its columns after the step.
     *
     * @return the figure names
     */
    public List<String> curveNames() {
        return List.copyOf(curveNames);
    }

    /** Counts a step done and adds its figures, weighted, to the epoch's sums. */
    void stepDone(StepResult r) {
        stepInEpoch++;
        step++;
        weight += r.weight();
        r.figures().forEach((name, v) -> sums.merge(name, v * r.weight(), Double::sum));
    }

    /** Moves to the next epoch's first step, with the generator where this epoch left it. */
    void nextEpoch(Generator.State at) {
        epoch++;
        stepInEpoch = 0;
        current = at;
    }

    void startEpoch(Generator.State at) {
        epochStart = at;
        sums = new LinkedHashMap<>();
        weight = 0;
        secondsBefore = 0;
    }

    Map<String, String> toMetadata(String task) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("task", task);
        o.put("epoch", epoch);
        o.put("step_in_epoch", stepInEpoch);
        o.put("step", step);
        o.put("generator", current == null ? null : current.toString());
        o.put("generator_epoch_start", epochStart == null ? null : epochStart.toString());
        ObjectNode s = o.putObject("sums");
        sums.forEach(s::put);
        o.put("weight", weight);
        o.put("seconds", secondsBefore);
        ArrayNode h = o.putArray("history");
        for (EpochRecord r : history) {
            ObjectNode e = h.addObject();
            e.put("epoch", r.epoch());
            e.put("step", r.step());
            e.put("seconds", r.seconds());
            ObjectNode f = e.putObject("figures");
            r.figures().forEach(f::put);
        }
        if (Double.isFinite(best)) {
            o.put("best", best);
        }
        o.put("since_best", sinceBest);
        o.put("finished", finished);
        ArrayNode names = o.putArray("curve_names");
        curveNames.forEach(names::add);
        try {
            return Map.of(KEY, JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Tensor> tensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        if (bestParams != null) {
            bestParams.forEach((name, value) -> t.put("best." + name, value));
        }
        if (!curve.isEmpty()) {
            int width = curve.get(0).length;
            double[] flat = new double[curve.size() * width];
            for (int i = 0; i < curve.size(); i++) {
                System.arraycopy(curve.get(i), 0, flat, i * width, width);
            }
            t.put("curve", Tensor.of(DType.FLOAT64, flat, curve.size(), width));
        }
        return t;
    }

    /**
     * The state a checkpoint holds.
     *
     * @param metadata the checkpoint's metadata
     * @param tensors  the checkpoint's trainer tensors, without their {@code trainer.} prefix
     * @param task     the name of the task that is to continue it
     * @return the state
     * @throws IllegalArgumentException naming the entry when the state is missing, of another task or layout,
     *         or out of range
     */
    public static RunState fromCheckpoint(Map<String, String> metadata, Map<String, Tensor> tensors, String task) {
        String text = metadata.get(KEY);
        if (text == null) {
            throw new IllegalArgumentException(metadata.containsKey("trainer.epoch")
                    ? "a training checkpoint of autodiff4j 0.1, whose layout this version does not resume; "
                            + "finish the run with 0.1.0 or start it again (its model loads for sample and evaluate)"
                    : "no '" + KEY + "' entry: not a resumable training checkpoint");
        }
        try {
            JsonNode o = JSON.readTree(text);
            int format = o.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalArgumentException("'" + KEY + "' has layout " + format + ", this version reads " + FORMAT);
            }
            if (!task.equals(o.path("task").asText())) {
                throw new IllegalArgumentException("a checkpoint of task '" + o.path("task").asText() + "', not '" + task + "'");
            }
            RunState s = new RunState();
            s.epoch = atLeast(o, "epoch", 1);
            s.stepInEpoch = atLeast(o, "step_in_epoch", 0);
            s.step = o.path("step").isIntegralNumber() && o.path("step").canConvertToLong() ? o.path("step").asLong() : -1;
            s.current = o.path("generator").isTextual() ? Generator.State.parse(o.get("generator").asText()) : null;
            s.epochStart = o.path("generator_epoch_start").isTextual()
                    ? Generator.State.parse(o.get("generator_epoch_start").asText()) : null;
            kind(o, "sums", JsonNode::isObject, "an object of figures");
            kind(o, "history", JsonNode::isArray, "an array of epochs");
            kind(o, "finished", JsonNode::isBoolean, "true or false");
            o.path("sums").fields().forEachRemaining(e -> s.sums.put(e.getKey(), finite(e.getValue(), "sums." + e.getKey())));
            s.weight = finite(o.path("weight"), "weight");
            s.secondsBefore = finite(o.path("seconds"), "seconds");
            if (s.weight < 0 || s.secondsBefore < 0) {
                throw new IllegalArgumentException("'" + KEY + "': weight " + s.weight + " and seconds " + s.secondsBefore
                        + " must not be negative");
            }
            for (JsonNode e : o.path("history")) {
                Map<String, Double> f = new LinkedHashMap<>();
                kind(e, "figures", JsonNode::isObject, "an object of figures");
                e.path("figures").fields().forEachRemaining(x -> {
                    if (!x.getValue().isNumber()) {
                        throw new IllegalArgumentException("'" + KEY + "': history figure " + x.getKey() + " is "
                                + x.getValue() + ", expected a number");
                    }
                    f.put(x.getKey(), x.getValue().asDouble());
                });
                s.history.add(new EpochRecord(e.path("epoch").asInt(), e.path("step").asLong(), e.path("seconds").asDouble(), f));
            }
            s.best = o.has("best") ? finite(o.get("best"), "best") : Double.POSITIVE_INFINITY;
            s.sinceBest = atLeast(o, "since_best", 0);
            s.finished = o.path("finished").asBoolean();
            o.path("curve_names").forEach(n -> s.curveNames.add(n.asText()));
            Map<String, Tensor> best = new LinkedHashMap<>();
            tensors.forEach((name, t) -> {
                if (name.startsWith("best.")) {
                    best.put(name.substring("best.".length()), t);
                }
            });
            s.bestParams = best.isEmpty() ? null : best;
            Tensor curve = tensors.get("curve");
            if (curve != null && (curve.rank() != 2 || curve.shape().dim(1) == 0)) {
                throw new IllegalArgumentException("'curve' has shape " + curve.shape() + ", expected [points, figures]");
            }
            if (curve != null) {
                int width = curve.shape().dim(1);
                double[] flat = curve.toDoubleArray();
                for (int i = 0; i < flat.length; i += width) {
                    s.curve.add(java.util.Arrays.copyOfRange(flat, i, i + width));
                }
            }
            if (s.step < 0 || s.current == null || s.stepInEpoch > 0 && s.epochStart == null || s.step < s.stepInEpoch) {
                throw new IllegalArgumentException("'" + KEY + "' is inconsistent: step " + s.step + ", step in epoch "
                        + s.stepInEpoch + ", generator " + s.current + ", epoch start " + s.epochStart);
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("'" + KEY + "' is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Requires {@code o.key} to exist and be of the kind {@code ok} accepts, naming what was found. */
    private static void kind(JsonNode o, String key, java.util.function.Predicate<JsonNode> ok, String expected) {
        if (!ok.test(o.path(key))) {
            throw new IllegalArgumentException("'" + KEY + "': " + key + " is " + (o.has(key) ? o.get(key).toString()
                    : "missing") + ", expected " + expected);
        }
    }

    private static double finite(JsonNode v, String key) {
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException("'" + KEY + "': " + key + " is " + v + ", expected a finite number");
        }
        return v.asDouble();
    }

    private static int atLeast(JsonNode o, String key, int min) {
        JsonNode n = o.path(key);
        int v = n.isIntegralNumber() && n.canConvertToInt() ? n.asInt() : Integer.MIN_VALUE;
        if (v < min) {
            throw new IllegalArgumentException("'" + KEY + "': " + key + " is " + o.path(key) + ", expected at least " + min);
        }
        return v;
    }
}
