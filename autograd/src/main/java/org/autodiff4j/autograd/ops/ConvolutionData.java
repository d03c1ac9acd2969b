package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Convolutions;
import org.autodiff4j.tensor.Tensor;

/**
 * The adjoint of {@link Convolution} in its images: {@code x = fold(W^T y)}, the gradient a convolution sends back
 * to its input and, as a layer, the transposed convolution (PyTorch's {@code conv_transpose2d}, whose [C_in, C_out,
 * kh, kw] weight is the [F, C, kh, kw] weight here). Linear in both arguments: {@code dy = }{@link Convolution} of dx
 * with w, {@code dw = }{@link ConvolutionWeights} of dx and y.
 */
public final class ConvolutionData extends Node {
    private final Window window;

    private ConvolutionData(Variable y, Variable w, Window window) {
        super(y, w);
        this.window = window;
    }

    /**
     * The images whose convolution with w is adjoint to y.
     *
     * @param y the output-side values [N, F, oh, ow]
     * @param w the weight [F, C, kh, kw]
     * @param size (H, W) of the result: a strided convolution maps several sizes to one output size
     * @param window dilation, padding and stride of the convolution this is the adjoint of
     * @return [N, C, H, W]
     * @throws org.autodiff4j.tensor.ShapeException naming both shapes when y is not the output of such a convolution
     */
    public static Variable apply(Variable y, Variable w, int[] size, Window window) {
        var x = Convolutions.backwardData(y.value(), w.value(), size, window.dilation(), window.padding(),
                window.stride());
        return new ConvolutionData(y, w, window).output(x);
    }

    /** Unrecorded, both gradients in one call when both are needed, so that the route prepares g once. */
    @Override
    protected Tensor[] backward(Tensor g) {
        if (!needsGrad(0) || !needsGrad(1)) {
            return null;
        }
        return Convolutions.transposedBackward(g, input(1).value(), input(0).value(), window.dilation(),
                window.padding(), window.stride());
    }

    @Override
    protected Variable[] backward(Variable g) {
        // <g, data(y, w)> = <conv(g, w), y>: linear in y through conv, in w through the weight gradient
        return new Variable[] {
            needsGrad(0) ? Convolution.apply(g, input(1), window) : null,
            needsGrad(1) ? ConvolutionWeights.apply(g, input(0), window) : null};
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
