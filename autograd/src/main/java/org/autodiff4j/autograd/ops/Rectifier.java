package org.autodiff4j.autograd.ops;

import java.util.function.UnaryOperator;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/**
 * What ReLU and leaky ReLU share: a gradient masked by the signs of x, and an in-place form that writes over x's value
 * and reads the signs from its output instead (they are x's for a slope of at least 0).
 */
abstract class Rectifier extends Node {
    private final boolean inPlace;

    Rectifier(Variable x, boolean inPlace) {
        super(x);
        this.inPlace = inPlace;
    }

    /** x's value rectified in place by {@code rectify}, refused for a parameter, as a view for the output. */
    static Tensor overwritten(String op, Variable x, UnaryOperator<Tensor> rectify) {
        requireNotParameter(op, x);
        Tensor y = rectify.apply(x.value());
        return y.view(y.shape().dims());
    }

    /** The variable whose signs are x's: x, or in place the output. */
    final Variable signs() {
        return inPlace ? result() : input(0);
    }

    /**
     * {@code f(g, signs)} ({@code f} the op's backward kernel), written over g when no one else holds it.
     * NOTE: the fast path is one fused pass, where the rule takes a mask and a product (with the four activations'
     * fast paths off, GanStepBenchmark took 20.6 and 19.9 ms against 14.1 and 15.9, two alternating JMH runs, 2
     * threads); writing over g saved 32% of a conv VAE epoch's allocated bytes
     */
    final Tensor[] maskedGradient(Tensor g, Elementwise f) {
        Tensor s = signs().value();
        return new Tensor[] {mayOverwriteGradient() ? g.mapiReading(f, s) : g.map(f, s)};
    }

    @Override
    protected final boolean sharesInputStorage() {
        return inPlace;
    }

    /** x, or in place the output. */
    @Override
    protected final boolean reads(int i) {
        return inPlace ? i == 1 : i == 0;
    }

    /** A new tensor, or g overwritten when the engine allows it. */
    @Override
    protected final GradientSource gradientSource(int i) {
        return GradientSource.FRESH;
    }
}
