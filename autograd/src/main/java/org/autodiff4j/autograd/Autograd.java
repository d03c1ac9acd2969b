package org.autodiff4j.autograd;

import org.autodiff4j.tensor.Tensor;

/**
 * Gradients as values, as PyTorch's {@code torch.autograd.grad}: the gradient of an output with respect to
 * chosen variables, leaving every {@code grad()} alone. With {@code createGraph} the gradients are themselves
 * recorded, so a loss built from them (a gradient penalty: WGAN-GP, R1) can be differentiated again, to any
 * order; the graph is then kept, as the new one refers to it.
 *
 * <pre>{@code
 * Variable x = Variable.parameter(...);
 * Variable y = f(x).sum();
 * Variable dx = Autograd.grad(y, new Variable[] {x}, true)[0];   // dy/dx, recorded
 * dx.square().sum().backward();                                   // x.grad() = d(|dy/dx|^2)/dx
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * The gradients of a one-element {@code output} with respect to {@code inputs}.
     *
     * @param output a one-element variable that requires grad
     * @param inputs the variables to differentiate with respect to (leaves or not)
     * @param createGraph whether to record the gradients for differentiating them again
     * @return one gradient per input, of its shape; zeros for an input the output does not depend on
     * @throws IllegalStateException when the output does not require grad, or the graph was freed
     * @throws UnsupportedOperationException with {@code createGraph}, when an op on the way has no
     *         differentiable backward
     */
    public static Variable[] grad(Variable output, Variable[] inputs, boolean createGraph) {
        return grad(output, null, inputs, createGraph, createGraph);
    }

    /**
     * The gradients of {@code output}, contracted with {@code upstream}, with respect to {@code inputs}.
     *
     * @param output a variable that requires grad
     * @param upstream the gradient with respect to {@code output} (of its shape), or null for a one-element output
     * @param inputs the variables to differentiate with respect to (leaves or not)
     * @param createGraph whether to record the gradients for differentiating them again (keeps the graph)
     * @param retainGraph whether to keep the graph for another backward pass
     * @return one gradient per input, of its shape; zeros for an input the output does not depend on
     * @throws IllegalStateException when the output does not require grad, or the graph was freed
     * @throws org.autodiff4j.tensor.ShapeException when {@code upstream} does not have the output's shape
     */
    public static Variable[] grad(Variable output, Tensor upstream, Variable[] inputs, boolean createGraph,
                                  boolean retainGraph) {
        if (createGraph && NoGrad.isActive()) {
            throw new IllegalStateException("grad: createGraph inside a NoGrad scope would record nothing");
        }
        return Engine.grad(output, upstream, inputs, createGraph, retainGraph);
    }
}
