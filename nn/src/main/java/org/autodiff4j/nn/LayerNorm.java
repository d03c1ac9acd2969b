package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * Layer normalisation over the trailing axes, PyTorch's {@code nn.LayerNorm(normalizedShape)}: {@code weight} (ones)
 * and {@code bias} (zeros) of that shape, eps 1e-5. No batch statistics, so a gradient penalty stays per sample
 * (a WGAN-GP or R1 critic's normalisation). See {@link Functional#layerNorm}.
 */
public final class LayerNorm extends Layer {
    private final Shape normalized;
    private final double eps;
    private final Variable weight;
    private final Variable bias;

    /**
     * A float32 layer norm over trailing axes of the given sizes, with an affine weight and bias.
     *
     * @param normalizedShape the trailing axes' sizes, e.g. {@code 64, 7, 7} for [N, 64, 7, 7]
     */
    public LayerNorm(int... normalizedShape) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: give the sizes of the trailing axes to normalise");
        }
        this.normalized = Shape.of(normalizedShape);
        this.eps = 1e-5;
        this.weight = registerParameter("weight", Tensor.ones(DType.FLOAT32, normalizedShape));
        this.bias = registerParameter("bias", Tensor.zeros(DType.FLOAT32, normalizedShape));
    }

    @Override
    public Variable forward(Variable x) {
        Shape s = x.shape();
        int k = normalized.rank();
        if (s.rank() < k || !Shape.of(java.util.Arrays.copyOfRange(s.dims(), s.rank() - k, s.rank())).equals(normalized)) {
            throw new ShapeException("LayerNorm: input " + s + " does not end in " + normalized);
        }
        return Functional.layerNorm(x, k, weight, bias, eps);
    }
}
