package org.autodiff4j.models.gan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.models.data.Batches;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The MNIST GAN's epochs of rounds (k discriminator steps, one generator step), resumable: its
 * position (epoch, round, generator streams, the epoch's sums, the loss curve) is saved with both
 * networks and both optimisers in a checkpoint every N rounds, on a stop request and at the end, so
 * that a resumed run ends with the parameters of an uninterrupted one.
 */
public final class GanLoop {
    /** Follows the loop. */
    public interface Listener {
        /**
         * After each round (k discriminator steps and a generator step).
         *
         * @param epoch the epoch, counted from 1
         * @param round the round within the epoch, counted from 1
         * @param rounds rounds in the epoch
         * @param step the round's figures
         */
        void roundDone(int epoch, int round, int rounds, GanTrainer.Step step);

        /**
         * After each epoch, with the epoch's mean D loss, G loss, D(x) and D(G(z)).
         *
         * @param epoch the epoch, counted from 1
         * @param means the epoch's mean D loss, G loss, D(x) and D(G(z))
         * @param rounds rounds in the epoch
         * @throws IOException when the listener's own output fails
         */
        void epochDone(int epoch, double[] means, int rounds) throws IOException;
    }

    /** Thrown when the loop stopped on request after writing its checkpoint. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(int epoch, int round, Path checkpoint) {
            super("training stopped at epoch " + epoch + ", step " + round + "; resume from " + checkpoint);
        }
    }

    private final Gan gan;
    private final GanTrainer trainer;
    private final Generator g;
    private int epoch = 1;
    private int round;
    private long step;
    private Generator.State epochStart;
    private double[] sums = new double[4];
    private double seconds;
    private boolean finished;
    private final List<double[]> curve = new ArrayList<>();

    /**
     * A loop over {@code trainer}'s rounds for {@code gan}, shuffling with {@code g} (the trainer's generator).
     *
     * @param gan the networks to train
     * @param trainer the trainer that takes the rounds
     * @param g the trainer's generator, which also shuffles
     */
    public GanLoop(Gan gan, GanTrainer trainer, Generator g) {
        this.gan = gan;
        this.trainer = trainer;
        this.g = g;
    }

    /**
     * Continues from a checkpoint written by {@link #run}: networks, optimisers and position.
     *
     * @param file a checkpoint written by {@link #run}
     * @throws IOException naming the file when it is damaged or holds another model
     */
    public void resume(Path file) throws IOException {
        Checkpoint.load(file, gan, null, Gan.MODEL_NAME);
        SafeTensors.Contents c = Checkpoint.read(file);
        Map<String, Tensor> extra = Checkpoint.trainerTensors(c);
        Map<String, String> m = c.metadata();
        try {
            trainer.loadState(extra);
            epoch = Integer.parseInt(required(m, "epoch"));
            round = Integer.parseInt(required(m, "round"));
            step = Long.parseLong(required(m, "step"));
            g.setState(Generator.State.parse(required(m, "generator")));
            String start = required(m, "generator_epoch_start");
            epochStart = start.equals("-") ? null : Generator.State.parse(start);
            String[] s = required(m, "sums").split(",");
            for (int i = 0; i < 4; i++) {
                sums[i] = Double.parseDouble(s[i]);
            }
            seconds = Double.parseDouble(required(m, "seconds"));
            finished = Boolean.parseBoolean(required(m, "finished"));
            Tensor points = extra.get("curve");
            if (points != null) {
                double[] flat = points.toDoubleArray();
                for (int i = 0; i < flat.length; i += 5) {
                    curve.add(java.util.Arrays.copyOfRange(flat, i, i + 5));
                }
            }
        } catch (RuntimeException e) { // NumberFormatException, IllegalArgumentException, index errors
            throw new IOException(file + ": damaged trainer state: " + e.getMessage(), e);
        }
        if (round > 0 && epochStart == null) {
            throw new IOException(file + ": damaged trainer state: mid-epoch without the epoch's generator position");
        }
    }

    /**
     * Runs epochs up to {@code epochs} with at most {@code roundCap} rounds each.
     *
     * @param images the training images as rows
     * @param batchSize real examples per discriminator step
     * @param k discriminator steps per generator step
     * @param epochs the last epoch to run
     * @param roundCap the most rounds an epoch may have
     * @param checkpoint the checkpoint file, replaced atomically each time
     * @param every generator steps between checkpoints (0: only at a stop and the end)
     * @param stop asked after every round; when true, a checkpoint is written and {@link Stopped} thrown
     * @param metadata extra metadata for the checkpoint
     * @param listener told of every round and epoch
     * @throws Stopped after writing the checkpoint when {@code stop} became true
     * @throws IOException when a checkpoint cannot be written
     */
    public void run(Tensor images, int batchSize, int k, int epochs, int roundCap, Path checkpoint, int every,
             BooleanSupplier stop, Map<String, String> metadata, Listener listener) throws IOException {
        for (; !finished && epoch <= epochs; epoch++, round = 0) {
            if (round == 0) {
                epochStart = g.state();
                sums = new double[4];
            }
            Generator.State now = g.state();
            g.setState(epochStart);
            List<Tensor> batches = new Batches(images, batchSize, true).epoch(g);
            if (round > 0) {
                g.setState(now);
            }
            int rounds = Math.min(batches.size() / k, roundCap);
            long start = System.nanoTime();
            for (; round < rounds; ) {
                GanTrainer.Step s;
                try {
                    s = trainer.step(batches.subList(round * k, round * k + k));
                } catch (Anomaly.AnomalyException | IllegalStateException e) { // a NaN found, or a non-finite loss
                    throw new IllegalStateException("epoch " + epoch + ", step " + (round + 1) + ": " + e.getMessage(), e);
                }
                if (!Double.isFinite(s.discriminatorLoss()) || !Double.isFinite(s.generatorLoss())) {
                    throw new IllegalStateException("epoch " + epoch + ", step " + (round + 1) + ": the losses became "
                            + s.discriminatorLoss() + " and " + s.generatorLoss());
                }
                round++;
                step++;
                sums[0] += s.discriminatorLoss();
                sums[1] += s.generatorLoss();
                sums[2] += s.realScore();
                sums[3] += s.fakeScore();
                if (step % 50 == 0) {
                    curve.add(new double[] {step, s.discriminatorLoss(), s.generatorLoss(), s.realScore(), s.fakeScore()});
                }
                listener.roundDone(epoch, round, rounds, s);
                boolean stopNow = stop.getAsBoolean();
                if (stopNow || every > 0 && step % every == 0) {
                    seconds += (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    save(checkpoint, metadata);
                    if (stopNow) {
                        throw new Stopped(epoch, round, checkpoint);
                    }
                }
            }
            seconds += (System.nanoTime() - start) / 1e9;
            double[] means = {sums[0] / rounds, sums[1] / rounds, sums[2] / rounds, sums[3] / rounds};
            listener.epochDone(epoch, means, rounds);
        }
        finished = true;
        save(checkpoint, metadata);
    }

    private void save(Path file, Map<String, String> metadata) throws IOException {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put("trainer.epoch", Integer.toString(epoch));
        m.put("trainer.round", Integer.toString(round));
        m.put("trainer.step", Long.toString(step));
        m.put("trainer.generator", g.state().toString());
        m.put("trainer.generator_epoch_start", epochStart == null ? "-" : epochStart.toString());
        m.put("trainer.sums", sums[0] + "," + sums[1] + "," + sums[2] + "," + sums[3]);
        m.put("trainer.seconds", Double.toString(seconds));
        m.put("trainer.finished", Boolean.toString(finished));
        Map<String, Tensor> extra = new LinkedHashMap<>(trainer.state());
        if (!curve.isEmpty()) {
            double[] flat = new double[curve.size() * 5];
            for (int i = 0; i < curve.size(); i++) {
                System.arraycopy(curve.get(i), 0, flat, 5 * i, 5);
            }
            extra.put("curve", Tensor.of(DType.FLOAT64, flat, curve.size(), 5));
        }
        Checkpoint.save(file, gan, null, extra, m);
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get("trainer." + key);
        if (v == null) {
            throw new IllegalArgumentException("no 'trainer." + key + "' entry");
        }
        return v;
    }

    /**
     * Generator steps taken.
     *
     * @return generator steps taken
     */
    public long steps() {
        return step;
    }

    /**
     * Seconds spent in rounds, over every session of a resumed run.
     *
     * @return seconds spent in rounds, over every session of a resumed run
     */
    public double seconds() {
        return seconds;
    }

    /**
     * Whether every epoch has run.
     *
     * @return whether every epoch has run
     */
    public boolean finished() {
        return finished;
    }

    /**
     * Every 50th step's step number, D loss, G loss, D(x) and D(G(z)).
     *
     * @return every 50th step's step number, D loss, G loss, D(x) and D(G(z))
     */
    public List<double[]> curve() {
        return curve;
    }
}
