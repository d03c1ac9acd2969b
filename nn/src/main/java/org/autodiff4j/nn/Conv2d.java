package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;

/**
 * A 2-D convolution layer, PyTorch's {@code nn.Conv2d}: {@code weight} [out, in / groups, kh, kw] and {@code bias}
 * [out], initialised as PyTorch's (uniform with bound {@code 1 / sqrt(in / groups * kh * kw)}), so checkpoints carry
 * over. Input [N, in, H, W], output [N, out, oh, ow]; see {@link Functional#conv2d}.
 */
public final class Conv2d extends Layer {
    private final Variable weight;
    private final Variable bias;
    private final Window window;
    private final int groups;

    /**
     * A float32 square-kernel convolution with a bias and PyTorch's initialisation.
     *
     * @param in input channels
     * @param out output channels
     * @param kernel the kernel size
     * @param stride the stride
     * @param padding the zero padding on each side
     * @param g the generator to draw from
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Generator g) {
        this(in, out, Window.square(kernel, padding, stride), 1, true, Init.PYTORCH_DEFAULT, DType.FLOAT32, g);
    }

    /**
     * A convolution with every option.
     *
     * @param in input channels
     * @param out output channels
     * @param window kernel, dilation, padding and stride
     * @param groups channel groups (in and out divisible by it)
     * @param bias whether the layer has a bias
     * @param init how the weight and bias are drawn (fan-in {@code in / groups * kh * kw})
     * @param dtype the element type
     * @param g the generator to draw from
     * @throws IllegalArgumentException when a size is not positive or the channels do not divide into groups
     */
    public Conv2d(int in, int out, Window window, int groups, boolean bias, Init init, DType dtype, Generator g) {
        int[] k = window.kernel();
        if (in < 1 || out < 1 || groups < 1 || in % groups != 0 || out % groups != 0 || k[0] < 1 || k[1] < 1) {
            throw new IllegalArgumentException("Conv2d: in " + in + ", out " + out + ", kernel "
                    + java.util.Arrays.toString(k) + " must be positive, in and out divisible by groups " + groups);
        }
        int fanIn = in / groups * k[0] * k[1];
        this.weight = registerParameter("weight", init.weight(out, fanIn, dtype, g).reshape(out, in / groups, k[0], k[1]));
        this.bias = bias ? registerParameter("bias", init.bias(out, fanIn, dtype, g)) : null;
        this.window = window;
        this.groups = groups;
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.conv2d(x, weight, bias, window, groups);
    }

    /**
     * The [out, in / groups, kh, kw] weight.
     *
     * @return the weight
     */
    public Variable weight() {
        return weight;
    }

    /**
     * The [out] bias, or null.
     *
     * @return the bias
     */
    public Variable bias() {
        return bias;
    }
}
