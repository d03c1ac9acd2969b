package org.autodiff4j.models.vae;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.models.data.Batches;
import org.autodiff4j.models.data.Dataset;
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
        /** Checks the numbers. */
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

    /** The epoch whose validation loss was lowest among {@code history}. */
    public static EpochResult best(List<EpochResult> history) {
        return history.stream().min(java.util.Comparator.comparingDouble(r -> r.valid().loss())).orElseThrow();
    }

    /** Follows training; every method has an empty default. */
    public interface Listener {
        /** After each step. */
        default void batchDone(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
        }

        /** After each epoch's validation. */
        default void epochDone(EpochResult result) {
        }
    }

    private final Vae vae;
    private final Optimizer optimizer;
    private final Generator generator;

    /** A trainer of {@code vae} with {@code optimizer}, drawing every random number from {@code generator}. */
    public VaeTrainer(Vae vae, Optimizer optimizer, Generator generator) {
        this.vae = vae;
        this.optimizer = optimizer;
        this.generator = generator;
    }

    /** Trains and returns the figures of every epoch run. */
    public List<EpochResult> fit(Dataset train, Dataset valid, Options options, Listener listener) {
        double baseRate = optimizer.learningRate();
        List<EpochResult> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        Map<String, Tensor> bestParams = null;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            optimizer.setLearningRate(options.schedule().rate(epoch - 1, baseRate));
            long start = System.nanoTime();
            Evaluation trainFigures = trainEpoch(train, options, epoch, listener);
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation validFigures = evaluate(vae, valid.images(), options.batchSize(), generator);
            EpochResult r = new EpochResult(epoch, trainFigures, validFigures, seconds, optimizer.learningRate());
            history.add(r);
            listener.epochDone(r);
            if (validFigures.loss() < best) {
                best = validFigures.loss();
                bestParams = options.keepBest() ? snapshot() : null;
                sinceBest = 0;
            } else if (++sinceBest >= options.patience() && options.patience() > 0) {
                break;
            }
        }
        if (bestParams != null) {
            vae.loadParameters(bestParams);
        }
        return history;
    }

    private Evaluation trainEpoch(Dataset train, Options options, int epoch, Listener listener) {
        Tensor data = options.dynamicBinarization() ? train.sampleBinarized(generator) : train.images();
        List<Tensor> batches = new Batches(data, options.batchSize(), false).epoch(generator);
        int count = options.maxBatches() > 0 ? Math.min(options.maxBatches(), batches.size()) : batches.size();
        double klWeight = options.klWarmup() == 0 ? 1.0 : Math.min(1.0, (double) epoch / options.klWarmup());
        double loss = 0;
        double recon = 0;
        double kl = 0;
        long examples = 0;
        long start = System.nanoTime();
        for (int b = 0; b < count; b++) {
            Tensor x = batches.get(b);
            optimizer.zeroGrad();
            Vae.Elbo elbo;
            try {
                elbo = vae.loss(x, generator, klWeight);
                checkFinite(elbo.negElbo(), epoch, b + 1);
                elbo.loss().backward();
            } catch (Anomaly.AnomalyException e) {
                throw new IllegalStateException("epoch " + epoch + ", step " + (b + 1) + ": " + e.getMessage(), e);
            }
            optimizer.step();
            int n = x.shape().dim(0);
            double l = elbo.negElbo();
            loss += l * n;
            recon += elbo.reconstruction() * n;
            kl += elbo.kl() * n;
            examples += n;
            listener.batchDone(epoch, b + 1, count, l, examples / ((System.nanoTime() - start) / 1e9));
        }
        return new Evaluation(loss / examples, recon / examples, kl / examples);
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

    /** The mean negative ELBO (one z sample per example) over all rows of {@code data}. */
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

    /** The mean importance-weighted negative log-likelihood over the rows of {@code data}, in nats. */
    public static double importanceWeightedNll(Vae vae, Tensor data, int k, Generator g) {
        double[] ll = vae.logLikelihood(data, k, g, Math.min(k, 1000));
        double sum = 0;
        for (double v : ll) {
            sum += v;
        }
        return -sum / ll.length;
    }
}
