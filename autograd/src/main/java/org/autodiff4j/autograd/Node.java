package org.autodiff4j.autograd;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * The backward rule of one recorded op: it remembers the op's inputs and exactly what its
 * gradient needs. Subclasses (one per primitive, in {@code autograd.ops}) compute the forward in a
 * static {@code apply} and end with {@code return new Op(...).output(result)}, which records the
 * node only when grad mode is on and some input requires grad. The derivative is written once, as
 * {@link #backward(Variable)}; it serves {@code backward()} and {@link Autograd#grad} to any order.
 */
public abstract class Node {
    private final Variable[] inputs;
    private boolean released;
    /** The op's output value; with the inputs' values, what it may have saved for backward. */
    private Tensor outputValue;
    /** The versions of the inputs' values and of the output value when the op ran. */
    private int[] savedVersions;
    /** Raised on this thread while a backward rule runs. */
    private static final ThreadLocal<int[]> IN_RULE = ThreadScope.newDepth();
    /** The variable this node produced (null once released). */
    private Variable result;
    /** Set by the engine around a backward rule while it accumulates into leaves' gradients. */
    boolean lending;
    /** Set by the engine around an unrecorded backward rule whose output gradient no one else holds. */
    boolean gradientOwned;

    /**
     * A node over the given inputs, in the order {@link #backward} returns their gradients.
     *
     * @param inputs the op's inputs
     */
    protected Node(Variable... inputs) {
        this.inputs = inputs;
    }

    /**
     * Wraps the op's forward result: a variable produced by this node when grad mode is on and an
     * input requires grad, otherwise a constant (and this node is dropped).
     *
     * @param value the op's forward result
     * @return the op's output variable
     */
    protected final Variable output(Tensor value) {
        if (!ThreadScope.active(IN_RULE)) {
            Anomaly.check(value, "the forward value of " + name());
        }
        if (NoGrad.isActive()) {
            return Variable.constant(value);
        }
        for (Variable v : inputs) {
            if (v.requiresGrad()) {
                outputValue = value;
                savedVersions = new int[inputs.length + 1];
                for (int i = 0; i <= inputs.length; i++) {
                    savedVersions[i] = savedValue(i).version();
                }
                result = new Variable(value, this);
                return result;
            }
        }
        return Variable.constant(value);
    }

    /**
     * Throws when a value this op read (an input, or its output) was changed in place after the op ran: its
     * backward would silently use the new values (PyTorch's "modified by an inplace operation" check).
     */
    final void checkSavedValues() {
        for (int i = 0; i < savedVersions.length; i++) {
            Tensor t = savedValue(i);
            if (reads(i) && t.version() != savedVersions[i]) {
                String which = i < inputs.length ? "input " + i : "output";
                throw new IllegalStateException("backward: " + which + " " + t.shape() + " of " + name()
                        + " was changed in place after " + name() + " used it (version " + savedVersions[i] + ", now "
                        + t.version() + "), so its gradient would be wrong; change a copy() instead");
            }
        }
    }

    /**
     * Whether this op's backward reads the value of input {@code i}, or of its output for {@code i} equal to the
     * number of inputs (PyTorch's saved tensors): only those are checked for in-place changes before backward, so
     * that an op may overwrite a value no backward reads (a convolution's fresh output, shifted by its bias in place).
     * True for every value unless the op says otherwise; an op answers false only for values its rule never reads.
     *
     * @param i an input's index, or the number of inputs for the output
     * @return whether backward reads that value
     */
    protected boolean reads(int i) {
        return true;
    }

    /**
     * What the gradient this op's unrecorded backward returns for input {@code i} is, for the engine's bookkeeping
     * of which gradients no one else holds (those an op may {@link #mayOverwriteGradient overwrite}).
     */
    protected enum GradientSource {
        /** Nothing is promised: it may be held elsewhere (the default). */
        SHARED,
        /** A tensor made for it, or the output gradient this op {@link #mayOverwriteGradient may overwrite}. */
        FRESH,
        /** The output gradient itself or a view of it, given to this input alone and not kept. */
        PASSED
    }

    /**
     * What the gradient for input {@code i} is when nothing is recorded: {@link GradientSource#SHARED} unless the
     * op says otherwise. An op answers {@code FRESH} or {@code PASSED} only when every path of its rule holds to it.
     *
     * @param i an input's index
     * @return where that gradient comes from
     */
    protected GradientSource gradientSource(int i) {
        return GradientSource.SHARED;
    }

    /**
     * Whether the output gradient handed to the running unrecorded backward rule is held by no one else, so that
     * the rule may write its input gradient over it (as ReLU's mask does): never under {@code createGraph}, for the
     * gradient a caller passed in, or for one {@link Autograd#grad} returns.
     *
     * @return whether the output gradient may be overwritten
     */
    protected final boolean mayOverwriteGradient() {
        return gradientOwned;
    }

    /**
     * Whether this op's output value shares input 0's storage (a view such as a reshape, or an op that wrote over its
     * input): an in-place op after it would overwrite input 0 as well. False unless the op says otherwise.
     *
     * @return whether the output's storage is input 0's
     */
    protected boolean sharesInputStorage() {
        return false;
    }

    /**
     * Throws when an in-place op on x would overwrite a parameter: when x is a leaf that requires grad, or a view of
     * one through ops that {@link #sharesInputStorage share their input's storage}.
     *
     * @param op the in-place op's name, for the message
     * @param x the variable it would overwrite
     * @throws IllegalArgumentException naming the op and x's shape
     */
    protected static void requireNotParameter(String op, Variable x) {
        Variable v = x;
        while (v.gradFn() != null && v.gradFn().sharesInputStorage() && v.gradFn().inputs[0] != null) {
            v = v.gradFn().inputs[0];
        }
        if (v.isLeaf() && v.requiresGrad()) {
            throw new IllegalArgumentException(op + " in place: the input " + x.shape() + (v == x ? " is" : " shares "
                    + "the storage of") + " a leaf that requires grad (a parameter), whose value it would overwrite; "
                    + "use " + op + " instead");
        }
    }

    /** Input {@code i}'s value, or the output value for {@code i == inputs.length}. */
    private Tensor savedValue(int i) {
        return i < inputs.length ? inputs[i].value() : outputValue;
    }

    /**
     * The op's derivative, written once: the gradient of the loss with respect to each input, given the
     * gradient {@code gradOut} with respect to this node's output, computed with ops on variables. The engine
     * runs it with recording on under {@link Autograd#grad} with {@code createGraph} (so the gradients it
     * returns can be differentiated again: double backpropagation, gradient penalties) and inside a
     * {@link NoGrad} scope otherwise, where the same ops compute plain values. One entry per input, {@code null}
     * where {@link #needsGrad} is false. A gradient may have the output's broadcast shape: the engine sums it
     * down to the input's shape. The inputs come from {@link #input}, the output from {@link #result}.
     *
     * @param gradOut the gradient with respect to this node's output
     * @return one gradient per input, {@code null} where it is not needed
     */
    protected abstract Variable[] backward(Variable gradOut);

    /**
     * An optional fast path of {@link #backward(Variable)} on plain values, used when nothing is recorded. It
     * must compute the same gradients; null (the default) means the op has none. NOTE: only ops whose
     * benchmark shows the fused or buffer-reusing form matters override this, and each says so with its figure.
     *
     * @param gradOut the gradient with respect to this node's output
     * @return one gradient per input ({@code null} where not needed), or null when the op has no fast path
     */
    protected Tensor[] backward(Tensor gradOut) {
        return null;
    }

    /** The gradients for the engine: the rule recorded under createGraph, else the fast path or the rule unrecorded. */
    final Variable[] gradients(Variable gradOut, boolean createGraph) {
        if (!Anomaly.isActive()) {
            return createGraph ? backward(gradOut) : unrecorded(gradOut);
        }
        // the engine checks the gradients a rule returns (Anomaly), not the values inside the rule
        ThreadScope inRule = new ThreadScope(IN_RULE) { };
        try {
            return createGraph ? backward(gradOut) : unrecorded(gradOut);
        } finally {
            inRule.close();
        }
    }

    private Variable[] unrecorded(Variable gradOut) {
        Tensor[] fast = backward(gradOut.value());
        if (fast == null) {
            NoGrad noGrad = NoGrad.enter();
            try {
                return backward(gradOut);
            } finally {
                noGrad.close();
            }
        }
        Variable[] out = new Variable[fast.length];
        for (int i = 0; i < fast.length; i++) {
            out[i] = fast[i] == null ? null : Variable.constant(fast[i]);
        }
        return out;
    }

    /**
     * The variable this op produced, for a rule that is simplest in terms of the output ({@code exp}, {@code tanh}):
     * differentiating through it again goes back through this op, as PyTorch's {@code result} in
     * {@code derivatives.yaml}.
     *
     * @return the op's output variable
     */
    protected final Variable result() {
        if (result == null) {
            throw new IllegalStateException("backward: the graph through " + name() + " was already freed");
        }
        return result;
    }

    /**
     * Input {@code i} of this op, for {@link #backward(Variable)}.
     *
     * @param i the input index
     * @return the input variable
     */
    protected final Variable input(int i) {
        return inputs()[i];
    }

    /**
     * Whether input {@code i} needs a gradient; backward may skip the work when it does not.
     *
     * @param i the input index
     * @return whether input {@code i} needs a gradient
     */
    protected final boolean needsGrad(int i) {
        return inputs[i].requiresGrad();
    }

    /**
     * Where a backward may write input {@code i}'s gradient: the buffer of that leaf's gradient that the
     * last {@code zeroGrad} cleared, when the input is a leaf with no gradient yet in this backward and the
     * buffer has this shape and dtype (a leaf's buffer has the leaf's dtype, so a gradient of another dtype
     * gets none). A backward that writes the gradient into it and returns it spares a
     * copy and an allocation of the parameter's size. Null otherwise, and outside a backward that
     * accumulates into leaves ({@link Autograd#grad} returns its gradients instead).
     *
     * @param i the input
     * @param shape the gradient's shape
     * @param dtype the gradient's dtype
     * @return the buffer to write into and return, or null to return a new tensor
     */
    protected final Tensor gradientBuffer(int i, Shape shape, DType dtype) {
        Variable in = inputs[i];
        return lending && in.isLeaf() && in.requiresGrad() ? in.lendGradBuffer(shape, dtype) : null;
    }

    /**
     * The op's name for messages: the class name.
     *
     * @return the op's name for messages
     */
    public String name() {
        return getClass().getSimpleName();
    }

    Variable[] inputs() {
        if (released) {
            throw new IllegalStateException("backward: the graph through " + name() + " was already freed by an "
                    + "earlier backward(); pass retainGraph = true to the first backward to run it again");
        }
        return inputs;
    }

    /** Frees the links to the inputs, so that the graph behind this node can be collected. */
    void release() {
        released = true;
        java.util.Arrays.fill(inputs, null);
        outputValue = null;
        result = null;
    }
}
