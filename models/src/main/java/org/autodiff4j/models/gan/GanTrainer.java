package org.autodiff4j.models.gan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Alternating GAN updates: {@code k} discriminator steps ascending V(D, G), then one generator step.
 * During a discriminator step the fake samples are generated without a graph, so nothing flows into
 * G; during a generator step D's parameters are frozen ({@code requiresGrad(false)}), so they get no
 * gradient. Each network has its own Adam. After each generator step the GAN's generator average, if it keeps one,
 * moves towards G ({@link Gan#updateGeneratorAverage()}).
 */
public final class GanTrainer {

    /**
     * How to train.
     *
     * @param discriminatorSteps k, discriminator steps per generator step
     * @param generatorLoss      non-saturating, minimax or wasserstein (which also sets D's loss)
     * @param realLabel          target for real samples: 1, or less for one-sided label smoothing
     * @param instanceNoise      std of Gaussian noise added to every input of D, real and generated (instance
     *                           noise, Sonderby et al. 2016): it makes the two distributions overlap, so D cannot
     *                           win on a cue such as binary pixels being exactly -1 or 1; 0 turns it off
     * @param noiseAnnealSteps   generator steps over which that std falls linearly to 0; 0 keeps it constant
     * @param gradientPenalty    lambda of the WGAN-GP penalty {@link Gan#gradientPenalty} in D's loss (10 in the paper);
     *                           0 turns it off
     * @param r1                 gamma of the R1 penalty, {@code gamma / 2} times {@link Gan#r1Penalty} in D's loss; 0 turns
     *                           it off
     */
    public record Options(int discriminatorSteps, Gan.GeneratorLoss generatorLoss, double realLabel,
                          double instanceNoise, int noiseAnnealSteps, double gradientPenalty, double r1) {
        /**
         * Validates the ranges.
         *
         * @param discriminatorSteps k
         * @param generatorLoss the generator loss
         * @param realLabel the target for real samples
         * @param instanceNoise the instance noise std
         * @param noiseAnnealSteps the noise's annealing steps
         * @param gradientPenalty the WGAN-GP lambda
         * @param r1 the R1 gamma
         */
        public Options {
            if (discriminatorSteps <= 0 || !(realLabel > 0 && realLabel <= 1) || !(instanceNoise >= 0)
                    || noiseAnnealSteps < 0 || !(gradientPenalty >= 0 && gradientPenalty < Double.POSITIVE_INFINITY)
                    || !(r1 >= 0 && r1 < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("GAN options out of range: k = " + discriminatorSteps
                        + ", real label " + realLabel + ", instance noise " + instanceNoise + ", anneal steps "
                        + noiseAnnealSteps + ", gradient penalty " + gradientPenalty + ", r1 " + r1 + " (k >= 1, "
                        + "0 < real label <= 1, noise >= 0, steps >= 0, penalties finite and >= 0)");
            }
        }

        /**
         * Options without penalties.
         *
         * @param discriminatorSteps k
         * @param generatorLoss the generator loss
         * @param realLabel the target for real samples
         * @param instanceNoise the instance noise std
         * @param noiseAnnealSteps the noise's annealing steps
         */
        public Options(int discriminatorSteps, Gan.GeneratorLoss generatorLoss, double realLabel, double instanceNoise,
                       int noiseAnnealSteps) {
            this(discriminatorSteps, generatorLoss, realLabel, instanceNoise, noiseAnnealSteps, 0.0, 0.0);
        }

        /**
         * Options without instance noise or penalties.
         *
         * @param discriminatorSteps k
         * @param generatorLoss the generator loss
         * @param realLabel the target for real samples
         */
        public Options(int discriminatorSteps, Gan.GeneratorLoss generatorLoss, double realLabel) {
            this(discriminatorSteps, generatorLoss, realLabel, 0.0, 0);
        }
    }

    /**
     * The figures of one generator step (and the discriminator steps before it), averaged over them. The scores are
     * mean D(x) and D(G(z)): probabilities for the cross-entropy games, the critic's raw scores for the Wasserstein one.
     *
     * @param discriminatorLoss the discriminator's loss, penalties included
     * @param generatorLoss the generator's loss
     * @param realScore mean D(x) on real samples, before the discriminator's update
     * @param fakeScore mean D(G(z)) in the generator step
     */
    public record Step(double discriminatorLoss, double generatorLoss, double realScore, double fakeScore) {
    }

    private final Gan gan;
    private final Optimizer generatorOptimizer;
    private final Optimizer discriminatorOptimizer;
    private final Options options;
    private final Generator generator;
    private long steps;

    /**
     * A trainer with Adam(lr, beta1, 0.999) for each network, drawing z from {@code generator}.
     *
     * @param gan the networks to train
     * @param learningRate the learning rate
     * @param beta1 the decay rate of the first-moment average
     * @param options k, the generator loss, label smoothing and instance noise
     * @param generator the generator z (and instance noise) is drawn from
     */
    public GanTrainer(Gan gan, double learningRate, double beta1, Options options, Generator generator) {
        this(gan, learningRate, beta1, 0.999, options, generator);
    }

    /**
     * A trainer with Adam(lr, beta1, beta2) for each network (WGAN-GP uses 1e-4, 0.5 or 0, and 0.9).
     *
     * @param gan the networks to train
     * @param learningRate the learning rate
     * @param beta1 the decay rate of the first-moment average
     * @param beta2 the decay rate of the second-moment average
     * @param options k, the losses, label smoothing, instance noise and penalties
     * @param generator the generator z (and instance noise, and the penalty's mixing) is drawn from
     */
    public GanTrainer(Gan gan, double learningRate, double beta1, double beta2, Options options, Generator generator) {
        this(gan, new Adam(gan.generator().namedParameters(), learningRate, beta1, beta2, 1e-8, 0),
                new Adam(gan.discriminator().namedParameters(), learningRate, beta1, beta2, 1e-8, 0), options, generator);
    }

    /**
     * A trainer with the optimisers the caller built, as in pytorch/examples' dcgan ({@code optimizerG},
     * {@code optimizerD}); each must hold exactly its network's parameters.
     *
     * @param gan the networks to train
     * @param generatorOptimizer the optimiser of {@code gan.generator()}'s parameters
     * @param discriminatorOptimizer the optimiser of {@code gan.discriminator()}'s parameters
     * @param options k, the losses, label smoothing, instance noise and penalties
     * @param generator the generator z (and instance noise, and the penalty's mixing) is drawn from
     * @throws IllegalArgumentException when an optimiser does not hold its network's parameters
     */
    public GanTrainer(Gan gan, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, Options options,
                      Generator generator) {
        requireParameters("generator", generatorOptimizer, gan.generator().parameters());
        requireParameters("discriminator", discriminatorOptimizer, gan.discriminator().parameters());
        this.gan = gan;
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.options = options;
        this.generator = generator;
    }

    private static void requireParameters(String network, Optimizer optimizer, List<Variable> expected) {
        java.util.Set<Variable> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        held.addAll(optimizer.params().values());
        java.util.Set<Variable> wanted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        wanted.addAll(expected);
        if (!held.equals(wanted)) {
            throw new IllegalArgumentException("GanTrainer: the " + network + " optimiser holds " + held.size()
                    + " parameters, not exactly the " + network + "'s " + wanted.size());
        }
    }

    /**
     * Both optimisers' state and the step count, for checkpoints ({@code generator_adam.*}, {@code discriminator_adam.*}, {@code steps}).
     *
     * @return both optimisers' state and the step count, for checkpoints ({@code generator_adam.*}, {@code discriminator_adam.*}, {@code steps})
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        generatorOptimizer.state().forEach((k, v) -> s.put("generator_adam." + k, v));
        discriminatorOptimizer.state().forEach((k, v) -> s.put("discriminator_adam." + k, v));
        s.put("steps", Tensor.scalar(steps, DType.FLOAT64));
        return s;
    }

    /**
     * Restores {@link #state()} of a trainer of the same networks.
     *
     * @param state the state as {@link #state()} returned it
     * @throws IllegalArgumentException naming what is missing or does not fit
     */
    public void loadState(Map<String, Tensor> state) {
        Tensor t = state.get("steps");
        if (t == null || t.size() != 1 || !(t.item() >= 0)) {
            throw new IllegalArgumentException("GanTrainer.loadState: missing or bad 'steps'");
        }
        generatorOptimizer.loadState(withoutPrefix(state, "generator_adam."));
        discriminatorOptimizer.loadState(withoutPrefix(state, "discriminator_adam."));
        steps = (long) t.item();
    }

    private static Map<String, Tensor> withoutPrefix(Map<String, Tensor> state, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * The generator's optimiser.
     *
     * @return the generator's optimiser
     */
    public Optimizer generatorOptimizer() {
        return generatorOptimizer;
    }

    /**
     * The discriminator's optimiser.
     *
     * @return the discriminator's optimiser
     */
    public Optimizer discriminatorOptimizer() {
        return discriminatorOptimizer;
    }

    /**
     * One round: a discriminator step on each of the {@code k} real batches, then a generator step with
     * a batch of the same size.
     *
     * @param realBatches {@code k} batches of real samples
     * @return the round's figures, averaged over its steps
     */
    public Step step(List<Tensor> realBatches) {
        if (realBatches.size() != options.discriminatorSteps()) {
            throw new IllegalArgumentException("step: needs " + options.discriminatorSteps() + " real batches, got "
                    + realBatches.size());
        }
        double dLoss = 0;
        double realScore = 0;
        for (Tensor real : realBatches) {
            double[] lossAndScore = discriminatorStep(real);
            dLoss += lossAndScore[0];
            realScore += lossAndScore[1];
        }
        int n = realBatches.get(0).shape().dim(0);
        Variable fakeLogits;
        Variable gLoss;
        freeze(gan.discriminator().parameters(), true);
        try {
            generatorOptimizer.zeroGrad();
            Variable fake = gan.generate(Variable.constant(gan.noise(n, generator)));
            fakeLogits = gan.discriminate(withInstanceNoise(fake));
            gLoss = gan.generatorLoss(fakeLogits, options.generatorLoss());
            checkFinite(gLoss.item(), "generator");
            gLoss.backward();
            generatorOptimizer.step();
            gan.updateGeneratorAverage();
        } finally {
            freeze(gan.discriminator().parameters(), false);
        }
        double fakeScore = score(fakeLogits);
        steps++;
        return new Step(dLoss / realBatches.size(), gLoss.item(), realScore / realBatches.size(), fakeScore);
    }

    /** The instance-noise std for the current step. */
    /**
     * The options this trainer was made with.
     *
     * @return k, the generator loss, label smoothing and instance noise
     */
    public Options options() {
        return options;
    }

    /** Sets the generator steps taken so far (instance noise anneals over them), e.g. when a run resumes. */
    void setSteps(long steps) {
        this.steps = steps;
    }

    double noiseStd() {
        double sigma = options.instanceNoise();
        if (sigma == 0 || options.noiseAnnealSteps() == 0) {
            return sigma;
        }
        return sigma * Math.max(0.0, 1.0 - (double) steps / options.noiseAnnealSteps());
    }

    /** {@code x} plus Gaussian noise of the current std (a constant, so gradients pass through to x). */
    private Variable withInstanceNoise(Variable x) {
        double sigma = noiseStd();
        if (sigma == 0) {
            return x;
        }
        return x.add(Variable.constant(Tensor.randn(generator, x.dtype(), x.shape().dims()).mul(sigma)));
    }

    /** One discriminator update on a real batch and as many fakes; returns its loss and mean D(x) before the update. */
    private double[] discriminatorStep(Tensor real) {
        discriminatorOptimizer.zeroGrad();
        Tensor fake = gan.sample(real.shape().dim(0), generator);
        Variable realLogits = gan.discriminate(withInstanceNoise(Variable.constant(real)));
        Variable fakeLogits = gan.discriminate(withInstanceNoise(Variable.constant(fake)));
        Variable loss = gan.discriminatorLossOnLogits(realLogits, fakeLogits, options.realLabel(), options.generatorLoss());
        if (options.gradientPenalty() > 0) {
            loss = loss.add(gan.gradientPenalty(real, fake, generator).mul(options.gradientPenalty()));
        }
        if (options.r1() > 0) {
            loss = loss.add(gan.r1Penalty(real).mul(options.r1() / 2));
        }
        checkFinite(loss.item(), "discriminator");
        loss.backward();
        discriminatorOptimizer.step();
        return new double[] {loss.item(), score(realLogits)};
    }

    /** Mean D: the probability sigmoid(logit), or a critic's raw score. */
    private double score(Variable logits) {
        Tensor d = options.generatorLoss() == Gan.GeneratorLoss.WASSERSTEIN ? logits.value() : logits.value().sigmoid();
        return d.mean().item();
    }

    /** Stops before a non-finite loss reaches the parameters. */
    private static void checkFinite(double loss, String which) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the " + which + " loss is " + loss + "; training stopped before updating "
                    + "the parameters (run with anomaly detection to find the op that produced it)");
        }
    }

    private static void freeze(List<Variable> params, boolean frozen) {
        params.forEach(p -> p.requiresGrad(!frozen));
    }
}
