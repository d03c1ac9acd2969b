package org.autodiff4j.nn.init;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Weight initialisers for a [fanOut, fanIn] weight, each drawing from an explicit generator.
 * {@link #PYTORCH_DEFAULT} matches {@code torch.nn.Linear}'s defaults.
 */
public enum Init {
    /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's Linear default (Kaiming uniform with a = sqrt(5)). */
    PYTORCH_DEFAULT,
    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)); suits tanh and sigmoid. */
    XAVIER_UNIFORM,
    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
    XAVIER_NORMAL,
    /** He/Kaiming uniform for ReLU: U(-a, a), a = sqrt(6 / fanIn). */
    HE_UNIFORM,
    /** He/Kaiming normal for ReLU: N(0, 2 / fanIn). */
    HE_NORMAL,
    /** DCGAN's N(0, 0.02) (Radford et al. 2016, section 4), zero bias. */
    DCGAN_NORMAL;

    /**
     * A [fanOut, fanIn] weight drawn from this distribution.
     *
     * @param fanOut output units
     * @param fanIn input units
     * @param dtype the element type
     * @param g the generator to draw from
     * @return a [fanOut, fanIn] weight drawn from this distribution
     */
    public Tensor weight(int fanOut, int fanIn, DType dtype, Generator g) {
        return switch (this) {
            case PYTORCH_DEFAULT -> uniform(1.0 / Math.sqrt(fanIn), dtype, g, fanOut, fanIn);
            case XAVIER_UNIFORM -> uniform(Math.sqrt(6.0 / (fanIn + fanOut)), dtype, g, fanOut, fanIn);
            case XAVIER_NORMAL -> Tensor.randn(g, dtype, fanOut, fanIn).mul(Math.sqrt(2.0 / (fanIn + fanOut)));
            case HE_UNIFORM -> uniform(Math.sqrt(6.0 / fanIn), dtype, g, fanOut, fanIn);
            case HE_NORMAL -> Tensor.randn(g, dtype, fanOut, fanIn).mul(Math.sqrt(2.0 / fanIn));
            case DCGAN_NORMAL -> Tensor.randn(g, dtype, fanOut, fanIn).mul(0.02);
        };
    }

    /**
     * A [fanOut] bias: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for {@link #PYTORCH_DEFAULT}, zeros for the
     * others (the usual companion of Xavier and He).
     *
     * @param fanOut output units
     * @param fanIn input units
     * @param dtype the element type
     * @param g the generator to draw from
     * @return a [fanOut] bias
     */
    public Tensor bias(int fanOut, int fanIn, DType dtype, Generator g) {
        return this == PYTORCH_DEFAULT ? uniform(1.0 / Math.sqrt(fanIn), dtype, g, fanOut) : Tensor.zeros(dtype, fanOut);
    }

    private static Tensor uniform(double bound, DType dtype, Generator g, int... dims) {
        return Tensor.uniform(g, -bound, bound, dtype, dims);
    }
}
