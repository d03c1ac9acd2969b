package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.FloatMath;
import org.autodiff4j.tensor.Tensor;

/** Elementwise x for x >= 0, slope * x below, or in place over x's value (PyTorch's {@code leaky_relu_}). */
public final class LeakyRelu extends Rectifier {
    private final double slope;

    private LeakyRelu(Variable x, double slope, boolean inPlace) {
        super(x, inPlace);
        this.slope = slope;
    }

    /**
     * leakyRelu(x) with the given negative slope.
     *
     * @param x the input
     * @param slope the slope for negative inputs
     * @return leakyRelu(x) with the given negative slope
     */
    public static Variable apply(Variable x, double slope) {
        return new LeakyRelu(x, slope, false).output(x.value().leakyRelu(slope));
    }

    /**
     * leakyRelu(x) written over x's value, without allocating the output, whose value shares x's storage. Backward
     * reads the output, whose signs are x's for a slope of at least 0, not x. For an x nothing else reads afterwards,
     * made by an op whose backward does not read its own output (backward throws naming that op when it does).
     *
     * @param x the input, its value overwritten
     * @param slope the slope for negative inputs, at least 0
     * @return leakyRelu(x)
     * @throws IllegalArgumentException when x is a leaf that requires grad, or the slope is negative
     */
    public static Variable applyInPlace(Variable x, double slope) {
        if (!(slope >= 0)) {
            throw new IllegalArgumentException("leakyRelu in place: slope " + slope + " must be at least 0, so that "
                    + "the output's signs are the input's");
        }
        return new LeakyRelu(x, slope, true).output(overwritten("leakyRelu", x, t -> t.leakyRelui(slope)));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G where x > 0, else slope * G
        return new Variable[] {backward(g, signs(), slope)};
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return maskedGradient(g, backward(slope));
    }

    /** {@code G} times the constant slope mask of {@code x}, whose own derivative is 0 almost everywhere. */
    static Variable backward(Variable g, Variable x, double slope) {
        return g.mul(Mask.apply(x, x.value().map(mask(slope))));
    }

    /**
     * 1 where {@code x > 0}, else the slope. NOTE: with a float32 loop, as {@link #backward(double)}'s: the
     * per-element double path took 22% of a WGAN-GP step's Java time (JFR, PeerRun wgan-gp), its gradient penalty
     * differentiating through this mask
     */
    static Elementwise mask(double slope) {
        if (!(slope >= 0 && slope <= 1)) {
            return Elementwise.unary(v -> v > 0 ? 1.0 : slope);
        }
        float s = (float) slope;
        return Elementwise.unary(v -> v > 0 ? 1.0 : slope, (o, x, from, to) -> {
            for (int i = from; i < to; i++) {
                o[i] = Math.max(s, FloatMath.step(x[i]));
            }
        });
    }

    /**
     * {@code G} where {@code x > 0}, else {@code slope G}: operands G and x. For a slope in [0, 1] the
     * float32 loop multiplies by {@code max(slope, step(x))}, exact and free of branches.
     */
    static Elementwise backward(double slope) {
        if (!(slope >= 0 && slope <= 1)) {
            return Elementwise.binary((g, x) -> x > 0 ? g : slope * g);
        }
        float s = (float) slope;
        return Elementwise.binary(
                (g, x) -> x > 0 ? g : slope * g,
                (o, g, x, from, to) -> {
                    for (int i = from; i < to; i++) {
                        o[i] = g[i] * Math.max(s, FloatMath.step(x[i]));
                    }
                });
    }
}
