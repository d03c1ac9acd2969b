package org.autodiff4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autodiff4j.autograd.ops.SumTo;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * Reverse-mode backward pass: one topological sort, then each node's rule once, in reverse order; one loop for
 * {@code backward()} and for {@link Autograd#grad}, recorded or not.
 */
final class Engine {
    private Engine() {
    }

    static void backward(Variable root, Tensor gradOut, boolean retainGraph) {
        run(root, gradOut, null, false, retainGraph);
    }

    /**
     * The gradients of {@code root} with respect to {@code inputs} (leaves or not), leaving every {@code grad()}
     * alone; with {@code createGraph} recorded, so that they can be differentiated again (the graph is then kept).
     */
    static Variable[] grad(Variable root, Tensor gradOut, Variable[] inputs, boolean createGraph,
                           boolean retainGraph) {
        Map<Variable, Variable> captured = new IdentityHashMap<>();
        for (Variable in : inputs) {
            captured.put(in, null);
        }
        run(root, gradOut, captured, createGraph, retainGraph || createGraph);
        Variable[] out = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Variable g = captured.get(inputs[i]);
            out[i] = g != null ? g : Variable.constant(Tensor.zeros(inputs[i].shape(), inputs[i].dtype()));
        }
        return out;
    }

    /** The upstream gradient of {@code root}: ones for a one-element output, else {@code gradOut} checked. */
    private static Tensor checkRoot(Variable root, Tensor gradOut) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: this variable does not require grad and has no grad function "
                    + "(was it computed under NoGrad, detached, or from inputs that do not require grad?)");
        }
        if (gradOut == null) {
            if (root.value().size() != 1) {
                throw new ShapeException("backward: the output has shape " + root.shape()
                        + "; a non-scalar output needs an explicit upstream gradient of that shape");
            }
            gradOut = Tensor.full(1.0, root.dtype(), root.shape().dims());
        } else if (!gradOut.shape().equals(root.shape())) {
            throw new ShapeException("backward: upstream gradient has shape " + gradOut.shape()
                    + " but the output has shape " + root.shape());
        }
        return gradOut;
    }

    /**
     * One backward pass, the only one: each node's rule once, in reverse topological order, recorded when
     * {@code createGraph}. The gradients go into the leaves' {@code grad()}, or, with {@code captured}, into that
     * map only.
     */
    private static void run(Variable root, Tensor gradOut, Map<Variable, Variable> captured, boolean createGraph,
                            boolean retainGraph) {
        gradOut = checkRoot(root, gradOut).to(root.dtype());
        List<Variable> order = topologicalOrder(root);
        Sums sums = createGraph ? null : new Sums();
        Map<Variable, Variable> grads = new IdentityHashMap<>();
        grads.put(root, Variable.constant(gradOut));
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Variable g = grads.remove(v);
            if (g == null) {
                continue;
            }
            boolean owned = sums != null && sums.owned.remove(g.value());
            if (captured != null && captured.containsKey(v)) {
                captured.put(v, g);
                owned = false;
            }
            Node node = v.gradFn();
            if (node == null) {
                if (captured == null) {
                    v.accumulateGrad(g.value());
                }
                continue;
            }
            Variable[] inputs = node.inputs();
            node.checkSavedValues();
            node.lending = captured == null && !createGraph;
            node.gradientOwned = owned;
            Variable[] inputGrads;
            try {
                inputGrads = node.gradients(g, createGraph);
            } finally {
                node.lending = false;
                node.gradientOwned = false;
            }
            for (int k = 0; k < inputs.length; k++) {
                Variable in = inputs[k];
                if (in.requiresGrad() && inputGrads[k] != null) {
                    Anomaly.check(inputGrads[k].value(), node.name() + ".backward's gradient for input " + k);
                    Variable gk = fit(inputGrads[k], in, node, createGraph);
                    if (sums != null && !in.isLeaf() && heldByNoOneElse(node, k, owned, inputGrads[k], gk)) {
                        sums.owned.add(gk.value());
                    }
                    grads.merge(in, gk, sums == null ? Variable::add : sums::add);
                }
            }
            if (!retainGraph) {
                node.release();
            }
        }
    }

    /**
     * Unrecorded sums of gradients, and which gradients the engine alone holds: the sums it allocated itself and
     * those a node made for one input ({@link Node.GradientSource}). Only those are added into in place, or handed
     * to a rule that may overwrite them: a gradient a node returned may be shared (Add returns G for both inputs).
     */
    private static final class Sums {
        final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());

        Variable add(Variable sum, Variable more) {
            owned.remove(more.value());     // consumed here either way
            if (owned.contains(sum.value())) {
                sum.value().addi(more.value());
                return sum;
            }
            Tensor fresh = sum.value().add(more.value());
            owned.add(fresh);
            return Variable.constant(fresh);
        }
    }

    /**
     * Whether input k's gradient is held by the engine alone: brought to shape or dtype by a new tensor, made for it
     * by the op, or the op's own output gradient passed on when that one was.
     */
    private static boolean heldByNoOneElse(Node node, int k, boolean outputGradientOwned, Variable returned,
                                           Variable fitted) {
        if (!fitted.value().sharesStorageWith(returned.value())) {
            return true;
        }
        return switch (node.gradientSource(k)) {
            case FRESH -> true;
            case PASSED -> outputGradientOwned;
            case SHARED -> false;
        };
    }

    /** A gradient brought to its input's shape (summing broadcast axes) and, unrecorded, to its dtype. */
    private static Variable fit(Variable grad, Variable input, Node node, boolean createGraph) {
        Shape target = input.shape();
        if (!grad.shape().equals(target) && !target.broadcastsTo(grad.shape())) {
            throw new IllegalStateException(node.name() + ".backward returned a gradient of shape " + grad.shape()
                    + " for an input of shape " + target);
        }
        if (createGraph) {
            return SumTo.apply(grad, target);
        }
        Tensor g = grad.value();
        g = g.shape().equals(target) ? g : g.sumTo(target);
        Tensor converted = g.to(input.dtype());
        return converted == grad.value() ? grad : Variable.constant(converted);
    }

    /** Variables reachable from root through nodes, each after all of its inputs: iterative post-order DFS. */
    private static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        Deque<Integer> nextInput = new ArrayDeque<>();
        stack.push(root);
        nextInput.push(0);
        visited.add(root);
        while (!stack.isEmpty()) {
            Variable v = stack.peek();
            int k = nextInput.pop();
            Variable[] inputs = v.gradFn() == null ? new Variable[0] : v.gradFn().inputs();
            if (k < inputs.length) {
                nextInput.push(k + 1);
                Variable in = inputs[k];
                if (in.requiresGrad() && visited.add(in)) {
                    stack.push(in);
                    nextInput.push(0);
                }
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
