package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Convolutions;

/**
 * The gradient of a {@link Convolution} with respect to its weight, {@code dw[f, c] = sum_n dy[n, f] x[n, c]} over
 * the windows. Linear in both arguments: {@code dx = }{@link ConvolutionData} of dy with the incoming gradient,
 * {@code d(dy) = }{@link Convolution} of x with it.
 */
public final class ConvolutionWeights extends Node {
    private final Window window;

    private ConvolutionWeights(Variable x, Variable dy, Window window) {
        super(x, dy);
        this.window = window;
    }

    /**
     * The weight gradient of the convolution of x whose output gradient is dy.
     *
     * @param x the images [N, C, H, W]
     * @param dy the output gradient [N, F, oh, ow]
     * @param window the kernel (kh, kw), dilation, padding and stride
     * @return [F, C, kh, kw]
     * @throws org.autodiff4j.tensor.ShapeException naming both shapes when dy is not the output of such a convolution
     */
    public static Variable apply(Variable x, Variable dy, Window window) {
        var dw = Convolutions.backwardWeights(x.value(), dy.value(), window.kernel(), window.dilation(),
                window.padding(), window.stride());
        return new ConvolutionWeights(x, dy, window).output(dw);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // <g, weights(x, dy)> = <conv(x, g), dy>: linear in x through the data gradient, in dy through conv
        Variable x = input(0);
        int[] size = {x.shape().dim(2), x.shape().dim(3)};
        return new Variable[] {
            needsGrad(0) ? ConvolutionData.apply(input(1), g, size, window) : null,
            needsGrad(1) ? Convolution.apply(x, g, window) : null};
    }
}
