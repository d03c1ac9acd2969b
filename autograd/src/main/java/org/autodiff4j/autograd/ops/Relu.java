package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise max(x, 0), or in place over x's value (PyTorch's {@code relu_}). */
public final class Relu extends Node {
    private final boolean inPlace;

    private Relu(Variable x, boolean inPlace) {
        super(x);
        this.inPlace = inPlace;
    }

    /**
     * max(x, 0).
     *
     * @param x the input
     * @return max(x, 0)
     */
    public static Variable apply(Variable x) {
        return new Relu(x, false).output(x.value().relu());
    }

    /**
     * max(x, 0) written over x's value, without allocating the output, whose value shares x's storage. Backward
     * reads the output, whose signs are x's, not x. For an x nothing else reads afterwards, made by an op whose
     * backward does not read its own output (backward throws naming that op when it does).
     *
     * @param x the input, its value overwritten
     * @return max(x, 0)
     * @throws IllegalArgumentException when x is a leaf that requires grad
     */
    public static Variable applyInPlace(Variable x) {
        requireNotParameter("relu", x);
        Tensor y = x.value().relui();
        return new Relu(x, true).output(y.view(y.shape().dims()));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G where x > 0, else 0 (0 at the kink, as PyTorch)
        return new Variable[] {LeakyRelu.backward(g, inPlace ? result() : input(0), 0.0)};
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // NOTE: fast path: one fused pass, where the rule takes a mask and a product; with the four activations' fast
        // paths off, GanStepBenchmark took 20.6 and 19.9 ms against 14.1 and 15.9 (two alternating JMH runs, 2 threads)
        // NOTE: written over g when no one else holds it: 32% of a conv VAE epoch's allocated bytes were this
        Tensor signs = (inPlace ? result() : input(0)).value();
        return new Tensor[] {mayOverwriteGradient() ? g.mapiReading(BACKWARD, signs) : g.map(BACKWARD, signs)};
    }

    @Override
    protected boolean sharesInputStorage() {
        return inPlace;
    }

    /** x, or in place the output. */
    @Override
    protected boolean reads(int i) {
        return inPlace ? i == 1 : i == 0;
    }

    private static final Elementwise BACKWARD = LeakyRelu.backward(0.0);

    /** A new tensor, or g overwritten when the engine allows it. */
    @Override
    protected GradientSource gradientSource(int i) {
        return GradientSource.FRESH;
    }
}
