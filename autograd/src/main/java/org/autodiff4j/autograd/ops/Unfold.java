package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/**
 * The sliding windows of [N, C, H, W] images as [N, C kh kw, L] columns (im2col, PyTorch's {@code F.unfold}), or as
 * one [C kh kw, N L] matrix over the batch ({@link #batch}).
 */
public final class Unfold extends Node {
    private final int[] size;
    private final Window window;
    private final int batch;

    private Unfold(Variable x, Window window, boolean batchMajor) {
        super(x);
        this.size = new int[] {x.shape().dim(2), x.shape().dim(3)};
        this.window = window;
        this.batch = batchMajor ? x.shape().dim(0) : 0;
    }

    /**
     * The columns of x; see {@link org.autodiff4j.tensor.Tensor#unfold} for the layout and the errors.
     *
     * @param x the images [N, C, H, W]
     * @param window the kernel, dilation, padding and stride
     * @return the columns [N, C kh kw, L]
     */
    public static Variable apply(Variable x, Window window) {
        var out = x.value().unfold(window.kernel(), window.dilation(), window.padding(), window.stride());
        return new Unfold(x, window, false).output(out);
    }

    /**
     * The columns of x as one matrix over the batch; see {@link org.autodiff4j.tensor.Tensor#unfoldBatch}.
     *
     * @param x the images [N, C, H, W]
     * @param window the kernel, dilation, padding and stride
     * @return the columns [C kh kw, N L]
     */
    public static Variable batch(Variable x, Window window) {
        var out = x.value().unfoldBatch(window.kernel(), window.dilation(), window.padding(), window.stride());
        return new Unfold(x, window, true).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = fold(G): each column entry added back to the pixel it was read from
        return new Variable[] {batch > 0 ? Fold.batch(g, batch, size, window) : Fold.apply(g, size, window)};
    }
}
