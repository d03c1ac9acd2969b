package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;

/**
 * An affine layer {@code y = x W^T + b} with {@code weight} of shape [out, in] and {@code bias} of
 * shape [out], laid out as PyTorch's {@code nn.Linear} so checkpoints carry over. The transpose is a
 * gemm flag, not a copy, and the bias is added by the same gemm.
 */
public final class Linear extends Layer {
    private final Variable weight;
    private final Variable bias;

    /**
     * A float32 layer with PyTorch's default initialisation.
     *
     * @param in the input features
     * @param out the output features
     * @param g the generator to draw from
     */
    public Linear(int in, int out, Generator g) {
        this(in, out, Init.PYTORCH_DEFAULT, DType.FLOAT32, g);
    }

    /**
     * A layer with the given initialiser and dtype.
     *
     * @param in the input features
     * @param out the output features
     * @param init how the weight and bias are drawn
     * @param dtype the element type
     * @param g the generator to draw from
     */
    public Linear(int in, int out, Init init, DType dtype, Generator g) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        }
        weight = registerParameter("weight", init.weight(out, in, dtype, g));
        bias = registerParameter("bias", init.bias(out, in, dtype, g));
    }

    @Override
    public Variable forward(Variable x) {
        return x.linear(weight, bias);
    }

    /**
     * The [out, in] weight.
     *
     * @return the [out, in] weight
     */
    public Variable weight() {
        return weight;
    }

    /**
     * The [out] bias.
     *
     * @return the [out] bias
     */
    public Variable bias() {
        return bias;
    }

    /**
     * Input features.
     *
     * @return the input features
     */
    public int inFeatures() {
        return weight.shape().dim(1);
    }

    /**
     * Output features.
     *
     * @return the output features
     */
    public int outFeatures() {
        return weight.shape().dim(0);
    }
}
