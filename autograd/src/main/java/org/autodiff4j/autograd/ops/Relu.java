package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise max(x, 0), or in place over x's value (PyTorch's {@code relu_}). */
public final class Relu extends Rectifier {
    private static final Elementwise BACKWARD = LeakyRelu.backward(0.0);

    private Relu(Variable x, boolean inPlace) {
        super(x, inPlace);
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
        return new Relu(x, true).output(overwritten("relu", x, Tensor::relui));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G where x > 0, else 0 (0 at the kink, as PyTorch)
        return new Variable[] {LeakyRelu.backward(g, signs(), 0.0)};
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return maskedGradient(g, BACKWARD);
    }
}
