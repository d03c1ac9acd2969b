package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** [N, C kh kw, L] columns summed back into [N, C, H, W] images (col2im, PyTorch's {@code F.fold}): unfold's adjoint. */
public final class Fold extends Node {
    private final Window window;

    private Fold(Variable x, Window window) {
        super(x);
        this.window = window;
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
        return new Fold(x, window).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = unfold(G): the adjoint of a scatter-add is the gather it undoes
        return new Variable[] {Unfold.apply(g, window)};
    }
}
