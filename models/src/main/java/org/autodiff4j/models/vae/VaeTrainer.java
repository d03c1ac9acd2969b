package org.autodiff4j.models.vae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.models.data.Batches;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Trains a {@link Vae} with mini-batches: per epoch, shuffle, take one optimiser step per batch on
 * the negative ELBO, then evaluate on the validation set. Optionally binarizes grayscale data anew
 * each epoch, follows a learning-rate schedule, stops early when the validation loss has not
 * improved for {@code patience} epochs, and at the end keeps the parameters of the epoch with the
 * best validation loss (model selection on validation, never on test data) or of the last epoch.
 */
public final class VaeTrainer {

    /**
     * How to train.
     *
     * @param epochs              maximum number of epochs
     * @param batchSize           examples per step
     * @param schedule            learning rate per epoch from the optimiser's initial rate
     * @param patience            epochs without validation improvement before stopping; 0 never stops early
     * @param maxBatches          batches per epoch at most (0: all), for quick runs
     * @param dynamicBinarization draw Bernoulli pixels from grayscale intensities every epoch
     * @param keepBest            end with the parameters of the best validation epoch instead of the last
     * @param klWarmup            epochs over which the KL weight rises linearly from 1/klWarmup to 1 (0: none)
     */
    public record Options(int epochs, int batchSize, LearningRateSchedule schedule, int patience, int maxBatches,
                          boolean dynamicBinarization, boolean keepBest, int klWarmup) {
        /**
         * Checks the numbers.
         *
         * @param epochs the number of epochs
         * @param batchSize examples per batch
         * @param schedule the learning rate per epoch
         * @param patience epochs without a better validation loss before stopping early (0: never)
         * @param maxBatches the most steps an epoch may take (0: all)
         * @param dynamicBinarization whether grayscale images are binarized anew each epoch
         * @param keepBest whether training ends with the parameters of the best validation epoch
         * @param klWarmup epochs over which the KL weight rises linearly to 1 (0: none)
         */
        public Options {
            if (epochs <= 0 || batchSize <= 0 || patience < 0 || maxBatches < 0 || klWarmup < 0) {
                throw new IllegalArgumentException("training options out of range: epochs " + epochs + ", batch size "
                        + batchSize + ", patience " + patience + ", max batches " + maxBatches + ", KL warm-up " + klWarmup);
            }
        }
    }

    /** The mean negative ELBO over a data set and its two terms, in nats per example. */
    public record Evaluation(double loss, double reconstruction, double kl) {
    }

    /** One epoch's figures. */
    public record EpochResult(int epoch, Evaluation train, Evaluation valid, double seconds, double learningRate) {
    }

    /**
     * The epoch whose validation loss was lowest among {@code history}.
     *
     * @param history the finished epochs
     * @return the epoch whose validation loss was lowest among {@code history}
     */
    public static EpochResult best(List<EpochResult> history) {
        return history.stream().min(java.util.Comparator.comparingDouble(r -> r.valid().loss())).orElseThrow();
    }

    /** Follows training; every method has an empty default. */
    public interface Listener {
        /**
         * After each step.
         *
         * @param epoch the epoch, counted from 1
         * @param batch the step within the epoch, counted from 1
         * @param batches steps in the epoch
         * @param loss the step's loss
         * @param imagesPerSecond the epoch's speed so far
         */
        default void batchDone(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
        }

        /**
         * After each epoch's validation.
         *
         * @param result the epoch's figures
         */
        default void epochDone(EpochResult result) {
        }
    }

    /**
     * Where to write resumable checkpoints, how often, and when to stop early.
     *
     * @param path          the checkpoint file, replaced atomically each time; null writes none
     * @param everySteps    optimiser steps between checkpoints; 0 writes one only on a stop and at the end
     * @param stopRequested asked after every step; when true, a checkpoint is written and {@link Stopped} thrown
     * @param metadata      extra metadata for the file (the model's configuration, the run's arguments)
     */
    public record Checkpointing(Path path, int everySteps, BooleanSupplier stopRequested, Map<String, String> metadata) {
        /**
         * Checks the numbers.
         *
         * @param path the checkpoint file, replaced atomically each time; null writes none
         * @param everySteps optimiser steps between checkpoints; 0 writes one only on a stop and at the end
         * @param stopRequested asked after every step; when true, a checkpoint is written and {@link Stopped} thrown
         * @param metadata extra metadata for the file (the model's configuration, the run's arguments)
         */
        public Checkpointing {
            if (everySteps < 0) {
                throw new IllegalArgumentException("checkpoint interval must be at least 0 steps, got " + everySteps);
            }
            metadata = Map.copyOf(metadata);
        }

        /**
         * No checkpoints and no early stop.
         *
         * @return no checkpoints and no early stop
         */
        public static Checkpointing none() {
            return new Checkpointing(null, 0, () -> false, Map.of());
        }
    }

    /** Thrown when training stopped on request after writing a checkpoint to resume from. */
    public static final class Stopped extends RuntimeException {
        private final transient Path checkpoint;

        Stopped(Path checkpoint, int epoch, int batch) {
            super("training stopped at epoch " + epoch + ", step " + batch + (checkpoint == null ? ""
                    : "; resume from " + checkpoint));
            this.checkpoint = checkpoint;
        }

        /**
         * The checkpoint written before stopping, or null when checkpoints were off.
         *
         * @return the checkpoint written before stopping, or null when checkpoints were off
         */
        public Path checkpoint() {
            return checkpoint;
        }
    }

    private final Vae vae;
    private final Optimizer optimizer;
    private final Generator generator;

    /**
     * A trainer of {@code vae} with {@code optimizer}, drawing every random number from {@code generator}.
     *
     * @param vae the model
     * @param optimizer the optimiser of the VAE's parameters
     * @param generator the source of every random number of the training
     */
    public VaeTrainer(Vae vae, Optimizer optimizer, Generator generator) {
        this.vae = vae;
        this.optimizer = optimizer;
        this.generator = generator;
    }

    /**
     * Trains from the start without checkpoints and returns the figures of every epoch run.
     *
     * @param train the training images
     * @param valid the validation images
     * @param options epochs, batch size, schedule and stopping
     * @param listener told of every step and epoch
     * @return the figures of every epoch run
     */
    public List<EpochResult> fit(Dataset train, Dataset valid, Options options, Listener listener) {
        return fit(train, valid, options, listener, Checkpointing.none(), new TrainingState());
    }

    /**
     * Trains from {@code state} (a fresh one, or one read from a checkpoint together with the model's and
     * the optimiser's state) and returns the figures of every epoch run, including those before a resume.
     * A run resumed from a checkpoint ends with the same parameters as one never interrupted.
     *
     * @param train the training images
     * @param valid the validation images
     * @param options epochs, batch size, schedule and stopping
     * @param listener told of every step and epoch
     * @param checkpointing where and how often checkpoints are written, and when to stop
     * @param state the state to start from: fresh, or read from a checkpoint
     * @return the figures of every epoch run, including those before a resume
     * @throws Stopped when {@code checkpointing} asked to stop (after writing the checkpoint)
     */
    public List<EpochResult> fit(Dataset train, Dataset valid, Options options, Listener listener,
                                 Checkpointing checkpointing, TrainingState state) {
        TrainingState s = state;
        if (Double.isNaN(s.baseRate)) {
            s.baseRate = optimizer.learningRate();
        }
        if (s.current != null) {
            generator.setState(s.current);
        }
        while (!s.finished && s.epoch <= options.epochs()) {
            int epoch = s.epoch;
            optimizer.setLearningRate(options.schedule().rate(epoch - 1, s.baseRate));
            if (s.batchesDone == 0) {
                s.startEpoch(generator.state());
            } else {
                generator.setState(s.epochStart);
            }
            Tensor data = options.dynamicBinarization() ? train.sampleBinarized(generator) : train.images();
            List<Tensor> batches = new Batches(data, options.batchSize(), false).epoch(generator);
            if (s.batchesDone > 0) {
                generator.setState(s.current);
            }
            int count = options.maxBatches() > 0 ? Math.min(options.maxBatches(), batches.size()) : batches.size();
            double klWeight = options.klWarmup() == 0 ? 1.0 : Math.min(1.0, (double) epoch / options.klWarmup());
            long start = System.nanoTime();
            for (int b = s.batchesDone; b < count; b++) {
                step(batches.get(b), klWeight, epoch, b + 1, s);
                listener.batchDone(epoch, b + 1, count, s.lastLoss, s.examplesThisSession / ((System.nanoTime() - start) / 1e9));
                boolean stop = checkpointing.stopRequested().getAsBoolean();
                if (stop || checkpointing.everySteps() > 0 && s.step % checkpointing.everySteps() == 0) {
                    s.secondsBefore += (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    save(checkpointing, s);
                    if (stop) {
                        throw new Stopped(checkpointing.path(), epoch, b + 1);
                    }
                }
            }
            double seconds = s.secondsBefore + (System.nanoTime() - start) / 1e9;
            Evaluation trainFigures = new Evaluation(s.loss / s.examples, s.recon / s.examples, s.kl / s.examples);
            Evaluation validFigures = evaluate(vae, valid.images(), options.batchSize(), generator);
            EpochResult r = new EpochResult(epoch, trainFigures, validFigures, seconds, optimizer.learningRate());
            s.history.add(r);
            listener.epochDone(r);
            if (validFigures.loss() < s.best) {
                s.best = validFigures.loss();
                s.bestParams = options.keepBest() ? snapshot() : null;
                s.sinceBest = 0;
            } else if (++s.sinceBest >= options.patience() && options.patience() > 0) {
                s.finished = true;
            }
            s.epoch++;
            s.batchesDone = 0;
            s.current = generator.state();
        }
        s.finished = true;
        s.current = generator.state();
        save(checkpointing, s);
        if (s.bestParams != null) {
            vae.loadParameters(s.bestParams);
        }
        return List.copyOf(s.history);
    }

    private void step(Tensor x, double klWeight, int epoch, int batch, TrainingState s) {
        optimizer.zeroGrad();
        Vae.Elbo elbo;
        try {
            elbo = vae.loss(x, generator, klWeight);
            checkFinite(elbo.negElbo(), epoch, batch);
            elbo.loss().backward();
        } catch (Anomaly.AnomalyException e) {
            throw new IllegalStateException("epoch " + epoch + ", step " + batch + ": " + e.getMessage(), e);
        }
        optimizer.step();
        int n = x.shape().dim(0);
        s.lastLoss = elbo.negElbo();
        s.loss += s.lastLoss * n;
        s.recon += elbo.reconstruction() * n;
        s.kl += elbo.kl() * n;
        s.examples += n;
        s.examplesThisSession += n;
        s.batchesDone = batch;
        s.step++;
        s.current = generator.state();
    }

    private void save(Checkpointing c, TrainingState s) {
        if (c.path() == null) {
            return;
        }
        Map<String, String> metadata = new LinkedHashMap<>(c.metadata());
        metadata.putAll(s.toMetadata());
        try {
            Checkpoint.save(c.path(), vae, optimizer, s.tensors(), metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the checkpoint " + c.path() + ": " + e.getMessage(), e);
        }
    }

    /** Stops training before a non-finite loss reaches the parameters. */
    private static void checkFinite(double loss, int epoch, int step) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("epoch " + epoch + ", step " + step + ": the negative ELBO is " + loss
                    + "; training stopped before updating the parameters (run with anomaly detection, "
                    + "--detect-anomaly, to find the op that produced it)");
        }
    }

    private Map<String, Tensor> snapshot() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        vae.namedParameters().forEach((k, p) -> copy.put(k, p.value().copy()));
        return copy;
    }

    /**
     * The mean negative ELBO (one z sample per example) over all rows of {@code data}.
     *
     * @param vae the model
     * @param data the images as rows
     * @param batchSize examples per batch
     * @param g the generator to draw from
     * @return the mean negative ELBO and its two terms
     */
    public static Evaluation evaluate(Vae vae, Tensor data, int batchSize, Generator g) {
        double loss = 0;
        double recon = 0;
        double kl = 0;
        int n = data.shape().dim(0);
        try (NoGrad ignored = NoGrad.enter()) {
            for (Tensor x : new Batches(data, batchSize, false).epoch(null)) {
                Vae.Elbo e = vae.loss(x, g);
                int m = x.shape().dim(0);
                loss += e.negElbo() * m;
                recon += e.reconstruction() * m;
                kl += e.kl() * m;
            }
        }
        return new Evaluation(loss / n, recon / n, kl / n);
    }

    /**
     * The mean importance-weighted negative log-likelihood over the rows of {@code data}, in nats.
     *
     * @param vae the model
     * @param data the images as rows
     * @param k importance samples per example
     * @param g the generator to draw from
     * @return the mean importance-weighted negative log-likelihood over the rows of {@code data}, in nats
     */
    public static double importanceWeightedNll(Vae vae, Tensor data, int k, Generator g) {
        double[] ll = vae.logLikelihood(data, k, g, Math.min(k, 1000));
        double sum = 0;
        for (double v : ll) {
            sum += v;
        }
        return -sum / ll.length;
    }
}
