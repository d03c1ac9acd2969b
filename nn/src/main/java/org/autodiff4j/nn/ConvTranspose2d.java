package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;

/**
 * A 2-D transposed convolution layer, PyTorch's {@code nn.ConvTranspose2d}: {@code weight} [in, out, kh, kw] and
 * {@code bias} [out], initialised as PyTorch's (its fan-in is {@code out * kh * kw}, from the weight's axis 1).
 * Input [N, in, H, W], output [N, out, (H - 1) s - 2 p + d (k - 1) + outputPadding + 1, ...]; see
 * {@link Functional#convTranspose2d}.
 */
public final class ConvTranspose2d extends Layer {
    private final Variable weight;
    private final Variable bias;
    private final Window window;
    private final int[] outputPadding;

    /**
     * A float32 square-kernel transposed convolution with a bias and PyTorch's initialisation.
     *
     * @param in input channels
     * @param out output channels
     * @param kernel the kernel size
     * @param stride the stride
     * @param padding the padding taken off each side of the output
     * @param g the generator to draw from
     */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, Generator g) {
        this(in, out, Window.square(kernel, padding, stride), new int[] {0, 0}, true, Init.PYTORCH_DEFAULT,
                DType.FLOAT32, g);
    }

    /**
     * A transposed convolution with every option.
     *
     * @param in input channels
     * @param out output channels
     * @param window kernel, dilation, padding and stride
     * @param outputPadding (h, w) added to one side of the output, below the stride or dilation
     * @param bias whether the layer has a bias
     * @param init how the weight and bias are drawn
     * @param dtype the element type
     * @param g the generator to draw from
     * @throws IllegalArgumentException when a size is not positive
     */
    public ConvTranspose2d(int in, int out, Window window, int[] outputPadding, boolean bias, Init init, DType dtype,
                           Generator g) {
        int[] k = window.kernel();
        if (in < 1 || out < 1 || k[0] < 1 || k[1] < 1 || outputPadding.length != 2) {
            throw new IllegalArgumentException("ConvTranspose2d: in " + in + ", out " + out + " and kernel "
                    + java.util.Arrays.toString(k) + " must be positive, outputPadding a pair");
        }
        int fanIn = out * k[0] * k[1];
        this.weight = registerParameter("weight", init.weight(in, fanIn, dtype, g).reshape(in, out, k[0], k[1]));
        this.bias = bias ? registerParameter("bias", init.bias(out, fanIn, dtype, g)) : null;
        this.window = window;
        this.outputPadding = outputPadding.clone();
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.convTranspose2d(x, weight, bias, window, outputPadding);
    }

    /**
     * The [in, out, kh, kw] weight.
     *
     * @return the weight
     */
    public Variable weight() {
        return weight;
    }
}
