package org.autodiff4j.models.gan;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.Task;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.nn.optim.Scheduler;
import org.autodiff4j.tensor.Generator;

/**
 * Training a {@link Gan} for a {@link org.autodiff4j.models.train.TrainLoop}: each step is a
 * {@link GanTrainer} round of k discriminator steps on k real batches and one generator step. Real data
 * comes from images (shuffled each epoch, the last partial batch dropped) or from a sampler drawn anew for
 * every batch (the 2-D mixtures). Step figures: {@code d_loss}, {@code g_loss}, {@code d_real} (D(x)) and
 * {@code d_fake} (D(G(z))), each round weighing 1.
 */
public final class GanTask implements Task {

    /** Draws one batch of real samples. */
    @FunctionalInterface
    public interface Sampler {
        /**
         * Draws real samples.
         *
         * @param n the number of samples
         * @param g the generator to draw from
         * @return samples [n, dataDim]
         */
        org.autodiff4j.tensor.Tensor sample(int n, Generator g);
    }

    private final Gan gan;
    private final GanTrainer trainer;
    private final int k;
    private final DataLoader images;
    private final Sampler sampler;
    private final int batchSize;
    private final int stepsPerEpoch;
    private final List<Scheduler> schedulers;

    private GanTask(Gan gan, GanTrainer trainer, int k, DataLoader images, Sampler sampler, int batchSize,
                    int stepsPerEpoch, LearningRateSchedule stepSchedule) {
        this.gan = gan;
        this.trainer = trainer;
        this.k = k;
        this.images = images;
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.stepsPerEpoch = stepsPerEpoch;
        this.schedulers = List.of(Scheduler.perStep(trainer.generatorOptimizer(), stepSchedule),
                Scheduler.perStep(trainer.discriminatorOptimizer(), stepSchedule));
    }

    /**
     * Training on images: each epoch shuffles them into batches of {@code batchSize} and takes rounds of
     * {@code k} of them.
     *
     * @param gan       the networks
     * @param trainer   the trainer that takes the rounds (its options say k)
     * @param images    real images as rows
     * @param batchSize real examples per discriminator step
     * @return the task
     */
    public static GanTask onImages(Gan gan, GanTrainer trainer, org.autodiff4j.tensor.Tensor images, int batchSize) {
        return new GanTask(gan, trainer, trainer.options().discriminatorSteps(),
                new DataLoader(TensorDataset.of(images), batchSize, true, true), null, batchSize, 0,
                LearningRateSchedule.constant());
    }

    /**
     * Training on a sampler: every batch is drawn fresh; an epoch is {@code stepsPerEpoch} rounds, and both
     * learning rates follow {@code schedule} over the run's steps, each from its optimiser's initial rate.
     *
     * @param gan           the networks
     * @param trainer       the trainer that takes the rounds
     * @param sampler       draws real batches
     * @param batchSize     real examples per discriminator step
     * @param stepsPerEpoch rounds per epoch
     * @param schedule      the learning rate per step (counted from 0) from the optimisers' initial rate
     * @return the task
     */
    public static GanTask onSampler(Gan gan, GanTrainer trainer, Sampler sampler, int batchSize, int stepsPerEpoch,
                                    LearningRateSchedule schedule) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("GanTask: steps per epoch must be at least 1, got " + stepsPerEpoch);
        }
        return new GanTask(gan, trainer, trainer.options().discriminatorSteps(), null, sampler, batchSize,
                stepsPerEpoch, schedule);
    }

    @Override
    public Module model() {
        return gan;
    }

    @Override
    public Map<String, Optimizer> optimizers() {
        return Map.of("generator", trainer.generatorOptimizer(), "discriminator", trainer.discriminatorOptimizer());
    }

    @Override
    public List<Scheduler> schedulers() {
        return schedulers;
    }

    @Override
    public int batchesPerStep() {
        return k;
    }

    @Override
    public List<Batch> batches(int epoch, Generator g) {
        if (images != null) {
            return images.epoch(g);
        }
        int count = stepsPerEpoch * k;
        // drawn when the step asks for them, in order: the same draws as sampling k batches before each round
        return new AbstractList<>() {
            @Override
            public Batch get(int i) {
                return new Batch(sampler.sample(batchSize, g), null);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    @Override
    public StepResult step(List<Batch> batches, StepContext context) {
        List<org.autodiff4j.tensor.Tensor> real = new ArrayList<>(batches.size());
        for (Batch b : batches) {
            real.add(b.x());
        }
        trainer.setSteps(context.step() - 1);
        GanTrainer.Step s = trainer.step(real);
        return StepResult.of(1, "d_loss", s.discriminatorLoss(), "g_loss", s.generatorLoss(), "d_real", s.realScore(),
                "d_fake", s.fakeScore());
    }

    @Override
    public String name() {
        return "gan";
    }
}
