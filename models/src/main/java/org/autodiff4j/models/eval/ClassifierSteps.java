package org.autodiff4j.models.eval;

import java.util.function.UnaryOperator;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.nn.optim.Optimizer;

/** The training step and the accuracy the two classifiers share. */
final class ClassifierSteps {
    private ClassifierSteps() {
    }

    /**
     * One optimiser step on a labelled batch's mean softmax cross-entropy, stopped before the update when the loss is
     * not finite; step figures {@code loss} and {@code accuracy} (on the batch, before the update).
     */
    static StepResult crossEntropy(Optimizer optimizer, UnaryOperator<Variable> logitsOf, Batch b, StepContext context) {
        optimizer.zeroGrad();
        Variable logits = logitsOf.apply(Variable.constant(b.x()));
        Variable loss = Losses.crossEntropy(logits, b.labels(), Reduction.MEAN);
        context.requireFinite("the cross-entropy", loss.item());
        loss.backward();
        optimizer.step();
        return StepResult.of(b.size(), "loss", loss.item(), "accuracy", accuracy(logits.value().argmax(1), b.labels()));
    }

    /** The fraction of {@code predicted} equal to {@code labels}. */
    static double accuracy(int[] predicted, int[] labels) {
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / predicted.length;
    }
}
