package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/**
 * Elementwise binary cross-entropy on probabilities, {@code -(y log p + (1 - y) log(1 - p))}, with
 * each log clamped at -100 as PyTorch's {@code BCELoss} does, so p = 0 or 1 gives a finite loss.
 * NOTE: a fused primitive for numerical stability: the gradient {@code (p - y) / max(p (1 - p), 1e-12)}
 * stays finite at p = 0 and 1, where the composite of log and clamp would give 0 * infinity.
 */
public final class BinaryCrossEntropy extends Node {
    static final double LOG_FLOOR = -100.0;
    static final double EPS = 1e-12;

    private BinaryCrossEntropy(Variable p, Variable y) {
        super(p, y);
    }

    /**
     * The elementwise loss of probabilities {@code p} against targets {@code y} (broadcasting).
     *
     * @param p the probabilities, in [0, 1]
     * @param y the targets
     * @return the elementwise loss of probabilities {@code p} against targets {@code y} (broadcasting)
     */
    public static Variable apply(Variable p, Variable y) {
        Tensor out = p.value().map("binaryCrossEntropy",
                Elementwise.binary((pi, yi) -> -yi * clampedLog(pi) - (1.0 - yi) * clampedLog(1.0 - pi)), y.value());
        return new BinaryCrossEntropy(p, y).output(out);
    }

    private static double clampedLog(double x) {
        return Math.max(Math.log(x), LOG_FLOOR);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dp = G (p - y) / max(p (1 - p), eps) ; dy = G (log(1 - p) - log p), logs clamped
        Variable p = input(0);
        Variable y = input(1);
        Variable dp = null;
        Variable dy = null;
        if (needsGrad(0)) {
            dp = g.mul(p.sub(y)).div(p.mul(p.rsub(1.0)).clamp(EPS, Double.MAX_VALUE));
        }
        if (needsGrad(1)) {
            dy = g.mul(p.rsub(1.0).log().clamp(LOG_FLOOR, Double.MAX_VALUE).sub(p.log().clamp(LOG_FLOOR, Double.MAX_VALUE)));
        }
        return new Variable[] {dp, dy};
    }
}
