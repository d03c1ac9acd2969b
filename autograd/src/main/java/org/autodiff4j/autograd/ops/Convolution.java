package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Convolutions;
import org.autodiff4j.tensor.Tensor;

/**
 * 2-D convolution without bias, {@code y[n, f] = sum_c w[f, c] * x[n, c]} over the windows (PyTorch's
 * {@code conv2d}), on the route {@link Convolutions} picks. Its gradients are the two other convolution ops:
 * {@code dx = }{@link ConvolutionData} of dy with w, {@code dw = }{@link ConvolutionWeights} of x and dy; the three
 * are closed under differentiation, so every order is available under {@code createGraph}.
 */
public final class Convolution extends Node {
    private final Window window;

    private Convolution(Variable x, Variable w, Window window) {
        super(x, w);
        this.window = window;
    }

    /**
     * The convolution of x with w.
     *
     * @param x the images [N, C, H, W]
     * @param w the weight [F, C, kh, kw], kh and kw the window's kernel
     * @param window dilation, padding and stride (its kernel is the weight's)
     * @return [N, F, oh, ow]
     * @throws org.autodiff4j.tensor.ShapeException naming both shapes when they do not fit
     */
    public static Variable apply(Variable x, Variable w, Window window) {
        var y = Convolutions.forward(x.value(), w.value(), window.dilation(), window.padding(), window.stride());
        return new Convolution(x, w, window).output(y);
    }

    /** Unrecorded, both gradients in one call when both are needed, so that the route prepares g once. */
    @Override
    protected Tensor[] backward(Tensor g) {
        if (!needsGrad(0) || !needsGrad(1)) {
            return null;
        }
        return Convolutions.backward(input(0).value(), input(1).value(), g, window.dilation(), window.padding(),
                window.stride());
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable x = input(0);
        Variable w = input(1);
        int[] size = {x.shape().dim(2), x.shape().dim(3)};
        return new Variable[] {
            needsGrad(0) ? ConvolutionData.apply(g, w, size, window) : null,
            needsGrad(1) ? ConvolutionWeights.apply(x, g, window) : null};
    }

    /** Backward reads the inputs, not the output. */
    @Override
    protected boolean reads(int i) {
        return i < 2;
    }

    /** Both gradients are new tensors (computed by the other convolution ops). */
    @Override
    protected GradientSource gradientSource(int i) {
        return GradientSource.FRESH;
    }
}
