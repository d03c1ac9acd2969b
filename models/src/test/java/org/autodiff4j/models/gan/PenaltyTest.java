package org.autodiff4j.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The gradient penalties differentiate a gradient: their own gradient must reach the critic's parameters
 * (a known failure elsewhere: a WGAN-GP whose penalty adds to the loss but not to the update).
 */
class PenaltyTest {
    private static final GanConfig TOY = new GanConfig(4, List.of(16), List.of(16, 16), 2, 0.2, false, 1);

    private interface Penalty {
        Variable of(Gan gan);
    }

    /**
     * Every critic weight gets a gradient from the penalty (the last layer's bias cannot: D's input gradient does
     * not depend on it). The values themselves are checked in float64 against central differences by
     * {@code AutogradTest}; float32 differences here would cross the leaky ReLU's kinks.
     */
    private static void reachesTheCritic(Penalty penalty) {
        Gan gan = Gan.mlp(TOY, new Generator(1));
        Map<String, Variable> critic = gan.discriminator().namedParameters();
        critic.values().forEach(Variable::zeroGrad);
        Variable p = penalty.of(gan);
        assertTrue(p.requiresGrad() && p.item() > 0, "the penalty is recorded and positive: " + p.item());
        p.backward();
        critic.forEach((name, v) -> {
            if (name.endsWith("weight")) {
                assertTrue(v.grad() != null && v.grad().abs().sum().item() > 0, name + " gets no gradient from the penalty");
            }
        });
        gan.generator().namedParameters().forEach((name, v) -> assertTrue(v.grad() == null, name + " is not the critic's"));
    }

    private static Tensor real() {
        return Tensor.randn(new Generator(5), DType.FLOAT32, 32, 2);
    }

    @Test
    void wganGradientPenalty_reachesTheCritic() {
        Tensor fake = Tensor.randn(new Generator(6), DType.FLOAT32, 32, 2).mul(2.0);
        reachesTheCritic(gan -> gan.gradientPenalty(real(), fake, new Generator(7)));
    }

    @Test
    void r1Penalty_reachesTheCritic() {
        reachesTheCritic(gan -> gan.r1Penalty(real()));
    }

    @Test
    void theTrainersCriticStep_includesThePenaltysGradient() {
        // the same step with lambda 0 and 10 must update the critic differently, and leave the generator alone
        Map<String, Tensor> after = new java.util.LinkedHashMap<>();
        for (double lambda : new double[] {0, 10}) {
            Gan gan = Gan.mlp(TOY, new Generator(1));
            GanTrainer t = new GanTrainer(gan, 1e-3, 0.5, 0.9, new GanTrainer.Options(1, Gan.GeneratorLoss.WASSERSTEIN,
                    1.0, 0.0, 0, lambda, 0.0), new Generator(2));
            t.step(List.of(real()));
            after.put("l" + lambda, gan.discriminator().namedParameters().values().iterator().next().value().copy());
        }
        assertTrue(!after.get("l0.0").allClose(after.get("l10.0"), 0, 1e-7), "the penalty changed nothing");
    }

    @Test
    void wassersteinLosses_areTheCriticsScoreDifferences() {
        Gan gan = Gan.mlp(TOY, new Generator(1));
        Variable realScores = Variable.constant(Tensor.of(new float[] {1, 3}, 2, 1));
        Variable fakeScores = Variable.constant(Tensor.of(new float[] {-2, 0}, 2, 1));
        assertEquals(-1 - 2, gan.discriminatorLossOnLogits(realScores, fakeScores, 1.0, Gan.GeneratorLoss.WASSERSTEIN)
                .item(), 1e-6);
        assertEquals(1, gan.generatorLoss(fakeScores, Gan.GeneratorLoss.WASSERSTEIN).item(), 1e-6);
    }
}
