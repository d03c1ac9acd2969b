package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/**
 * [N, C kh kw, L] columns, or one [C kh kw, N L] matrix over the batch ({@link #batch}), summed back into
 * [N, C, H, W] images (col2im, PyTorch's {@code F.fold}): unfold's adjoint.
 */
public final class Fold extends Node {
    private final Window window;
    private final boolean batchMajor;

    private Fold(Variable x, Window window, boolean batchMajor) {
        super(x);
        this.window = window;
        this.batchMajor = batchMajor;
    }

    /**
     * The images the columns sum to; see {@link org.autodiff4j.tensor.Tensor#fold} for the layout and the errors.
     *
     * @param x the columns [N, C kh kw, L]
     * @param outputSize (H, W)
     * @param window the kernel, dilation, padding and stride
     * @return the images [N, C, H, W]
     */
    public static Variable apply(Variable x, int[] outputSize, Window window) {
        var out = x.value().fold(outputSize, window.kernel(), window.dilation(), window.padding(), window.stride());
        return new Fold(x, window, false).output(out);
    }

    /**
     * The images one matrix of columns over the batch sums to; see {@link org.autodiff4j.tensor.Tensor#foldBatch}.
     *
     * @param x the columns [C kh kw, N L]
     * @param batch N
     * @param outputSize (H, W)
     * @param window the kernel, dilation, padding and stride
     * @return the images [N, C, H, W]
     */
    public static Variable batch(Variable x, int batch, int[] outputSize, Window window) {
        var out = x.value().foldBatch(batch, outputSize, window.kernel(), window.dilation(), window.padding(),
                window.stride());
        return new Fold(x, window, true).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = unfold(G): the adjoint of a scatter-add is the gather it undoes
        return new Variable[] {batchMajor ? Unfold.batch(g, window) : Unfold.apply(g, window)};
    }
}
