package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A 2-D convolution with a spectrally normalised weight (Miyato et al. 2018), as PyTorch's
 * {@code spectral_norm(nn.Conv2d(...))}: the weight [out, in, kh, kw] seen as the [out, in kh kw] matrix, divided by
 * {@code sigma = u^T W v}, one power-iteration step per forward in training. Buffers {@code u} [out] and {@code v}
 * [in kh kw]. Float32.
 */
public final class SpectralNormConv2d extends Layer {
    private final Variable weight;
    private final Variable bias;
    private final Window window;
    private final Tensor u;
    private final Tensor v;

    /**
     * A square-kernel convolution with PyTorch's initialisation and random unit power-iteration vectors.
     *
     * @param in input channels
     * @param out output channels
     * @param kernel the kernel size
     * @param stride the stride
     * @param padding the zero padding on each side
     * @param g the generator to draw from
     */
    public SpectralNormConv2d(int in, int out, int kernel, int stride, int padding, Generator g) {
        if (in < 1 || out < 1 || kernel < 1) {
            throw new IllegalArgumentException("SpectralNormConv2d: in " + in + ", out " + out + " and kernel " + kernel
                    + " must be positive");
        }
        int fanIn = in * kernel * kernel;
        weight = registerParameter("weight", Init.PYTORCH_DEFAULT.weight(out, fanIn, DType.FLOAT32, g)
                .reshape(out, in, kernel, kernel));
        bias = registerParameter("bias", Init.PYTORCH_DEFAULT.bias(out, fanIn, DType.FLOAT32, g));
        window = Window.square(kernel, padding, stride);
        u = registerBuffer("u", SpectralNorm.start(out, g));
        v = registerBuffer("v", SpectralNorm.start(fanIn, g));
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.conv2d(x, SpectralNorm.normalized(weight, u, v, isTraining()), bias, window, 1);
    }

    /**
     * The current estimate of the weight matrix's largest singular value, {@code u^T W v}.
     *
     * @return sigma
     */
    public double sigma() {
        return SpectralNorm.sigma(weight.value(), u, v);
    }
}
