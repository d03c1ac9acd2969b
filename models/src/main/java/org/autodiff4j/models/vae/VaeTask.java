package org.autodiff4j.models.vae;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.Task;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.nn.optim.Scheduler;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Training a {@link Vae} on the negative ELBO, one step per shuffled mini-batch, for a
 * {@link org.autodiff4j.models.train.TrainLoop}: the learning rate follows a schedule per epoch, the KL
 * weight an optional deterministic warm-up (Sonderby et al. 2016), grayscale images can be binarized anew
 * each epoch, and each epoch ends with the validation figures {@code valid.loss}, {@code valid.reconstruction},
 * {@code valid.kl} (and {@code lr}). Step figures: {@code loss} (the true negative ELBO whatever the KL
 * weight), {@code reconstruction}, {@code kl}, weighted by the batch size.
 */
public final class VaeTask implements Task {

    /**
     * How to train.
     *
     * @param batchSize           examples per step
     * @param schedule            the learning rate per epoch
     * @param dynamicBinarization whether grayscale images are binarized anew each epoch
     * @param klWarmup            epochs over which the KL weight rises linearly from 1/klWarmup to 1 (0: none; ELBO only)
     * @param objectiveSamples           importance samples per example of the training objective: 1 trains on the ELBO, more
     *                            on the IWAE bound ({@link Vae#iwaeLoss})
     */
    public record Options(int batchSize, LearningRateSchedule schedule, boolean dynamicBinarization, int klWarmup,
                          int objectiveSamples) {
        /**
         * Checks the numbers.
         *
         * @param batchSize           examples per step
         * @param schedule            the learning rate per epoch
         * @param dynamicBinarization whether grayscale images are binarized anew each epoch
         * @param klWarmup            warm-up epochs (0: none)
         * @param objectiveSamples           importance samples of the objective (1: the ELBO)
         * @throws IllegalArgumentException naming the value out of range
         */
        public Options {
            if (batchSize <= 0 || klWarmup < 0 || objectiveSamples < 1 || objectiveSamples > 1 && klWarmup > 0) {
                throw new IllegalArgumentException("VAE options out of range: batch size " + batchSize + " (>= 1), KL warm-up "
                        + klWarmup + " (>= 0), importance samples " + objectiveSamples + " (>= 1; warm-up is for the ELBO only)");
            }
        }

        /**
         * Options of the ELBO objective.
         *
         * @param batchSize           examples per step
         * @param schedule            the learning rate per epoch
         * @param dynamicBinarization whether grayscale images are binarized anew each epoch
         * @param klWarmup            warm-up epochs (0: none)
         */
        public Options(int batchSize, LearningRateSchedule schedule, boolean dynamicBinarization, int klWarmup) {
            this(batchSize, schedule, dynamicBinarization, klWarmup, 1);
        }
    }

    private final Vae vae;
    private final Optimizer optimizer;
    private final Dataset train;
    private final Dataset valid;
    private final Options options;
    private final List<Scheduler> schedulers;
    private double klWeight = 1.0;

    /**
     * A task that trains {@code vae} with {@code optimizer} on {@code train}, validating on {@code valid}.
     *
     * @param vae       the model
     * @param optimizer the optimiser of the VAE's parameters; its learning rate now is the schedule's base
     * @param train     the training images
     * @param valid     the validation images
     * @param options   batch size, schedule, binarization and warm-up
     */
    public VaeTask(Vae vae, Optimizer optimizer, Dataset train, Dataset valid, Options options) {
        this.vae = vae;
        this.optimizer = optimizer;
        this.train = train;
        this.valid = valid;
        this.options = options;
        this.schedulers = List.of(Scheduler.perEpoch(optimizer, options.schedule()));
    }

    @Override
    public Module model() {
        return vae;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        return Map.of("adam", optimizer);
    }

    @Override
    public List<Scheduler> schedulers() {
        return schedulers;
    }

    @Override
    public void beginEpoch(int epoch) {
        klWeight = options.klWarmup() == 0 ? 1.0 : Math.min(1.0, (double) epoch / options.klWarmup());
    }

    @Override
    public List<Batch> batches(int epoch, Generator g) {
        Tensor data = options.dynamicBinarization() ? train.sampleBinarized(g) : train.images();
        return new DataLoader(TensorDataset.of(data), options.batchSize(), true, false).epoch(g);
    }

    @Override
    public StepResult step(List<Batch> batches, StepContext context) {
        Tensor x = batches.get(0).x();
        optimizer.zeroGrad();
        boolean iwae = options.objectiveSamples() > 1;
        Vae.Elbo elbo = iwae ? vae.iwaeLoss(x, options.objectiveSamples(), context.generator())
                : vae.loss(x, context.generator(), klWeight);
        double objective = iwae ? elbo.loss().item() : elbo.negElbo();
        context.requireFinite(iwae ? "the negative IWAE bound" : "the negative ELBO", objective);
        elbo.loss().backward();
        optimizer.step();
        return StepResult.of(x.shape().dim(0), "loss", objective, "reconstruction", elbo.reconstruction(),
                "kl", elbo.kl());
    }

    @Override
    public Map<String, Double> evaluate(int epoch, Generator g) {
        VaeEvaluation.Elbo v = VaeEvaluation.elbo(vae, valid.images(), options.batchSize(), g);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("valid.loss", v.loss());
        f.put("valid.reconstruction", v.reconstruction());
        f.put("valid.kl", v.kl());
        f.put("lr", optimizer.learningRate());
        return f;
    }

    @Override
    public String name() {
        return "vae";
    }
}
