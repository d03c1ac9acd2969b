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

/** Reverse-mode backward pass: one topological sort, then each node's rule once, in reverse order. */
final class Engine {
    private Engine() {
    }

    static void backward(Variable root, Tensor gradOut, boolean retainGraph) {
        propagate(root, gradOut, retainGraph, null);
    }

    /**
     * The gradients of {@code root} with respect to {@code inputs} (leaves or not), leaving every {@code grad()}
     * alone: first order, as tensors.
     */
    static Tensor[] grad(Variable root, Tensor gradOut, Variable[] inputs, boolean retainGraph) {
        Map<Variable, Tensor> captured = new IdentityHashMap<>();
        for (Variable in : inputs) {
            captured.put(in, null);
        }
        propagate(root, gradOut, retainGraph, captured);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = captured.get(inputs[i]);
            out[i] = g != null ? g : Tensor.zeros(inputs[i].shape(), inputs[i].dtype());
        }
        return out;
    }

    /**
     * The gradients of {@code root} with respect to {@code inputs} as recorded variables, so that they can be
     * differentiated again: every node's {@link Node#backward(Variable)} rule runs as ops. The graph is kept.
     */
    static Variable[] gradGraph(Variable root, Tensor upstream, Variable[] inputs) {
        Variable gradOut = Variable.constant(checkRoot(root, upstream).to(root.dtype()));
        Map<Variable, Variable> captured = new IdentityHashMap<>();
        for (Variable in : inputs) {
            captured.put(in, null);
        }
        List<Variable> order = topologicalOrder(root);
        Map<Variable, Variable> grads = new IdentityHashMap<>();
        grads.put(root, gradOut);
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Variable g = grads.remove(v);
            if (g == null) {
                continue;
            }
            if (captured.containsKey(v)) {
                captured.put(v, g);
            }
            Node node = v.gradFn();
            if (node == null) {
                continue;
            }
            Variable[] nodeInputs = node.inputs();
            node.checkSavedValues();
            Variable[] inputGrads = node.backward(g);
            for (int k = 0; k < nodeInputs.length; k++) {
                Variable in = nodeInputs[k];
                if (in.requiresGrad() && inputGrads[k] != null) {
                    Anomaly.check(inputGrads[k].value(), node.name() + ".backward's gradient for input " + k);
                    Variable gk = SumTo.apply(inputGrads[k], in.shape());
                    grads.merge(in, gk, Variable::add);
                }
            }
        }
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

    /** One backward pass: into the leaves' {@code grad()}, or, with {@code captured}, into that map only. */
    private static void propagate(Variable root, Tensor gradOut, boolean retainGraph, Map<Variable, Tensor> captured) {
        gradOut = checkRoot(root, gradOut);
        List<Variable> order = topologicalOrder(root);
        Map<Variable, Tensor> grads = new IdentityHashMap<>();
        // Sums this pass allocated itself: only these are accumulated into in place. A gradient a node
        // returned may be shared (Add returns G for both inputs), so the first sum is a fresh tensor.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        grads.put(root, gradOut.to(root.dtype()));
        for (int i = order.size() - 1; i >= 0; i--) {
            Variable v = order.get(i);
            Tensor g = grads.remove(v);
            if (g == null) {
                continue;
            }
            owned.remove(g);
            Node node = v.gradFn();
            if (captured != null && captured.containsKey(v)) {
                captured.put(v, g);
            }
            if (node == null) {
                if (captured == null) {
                    v.accumulateGrad(g);
                }
                continue;
            }
            Variable[] inputs = node.inputs();
            node.checkSavedValues();
            node.lending = captured == null;
            Tensor[] inputGrads;
            try {
                inputGrads = node.backward(g);
            } finally {
                node.lending = false;
            }
            for (int k = 0; k < inputs.length; k++) {
                Variable in = inputs[k];
                if (in.requiresGrad() && inputGrads[k] != null) {
                    Anomaly.check(inputGrads[k], node.name() + ".backward's gradient for input " + k);
                    Tensor gk = fit(inputGrads[k], in, node);
                    grads.merge(in, gk, (sum, more) -> {
                        if (owned.contains(sum)) {
                            return sum.addi(more);
                        }
                        Tensor fresh = sum.add(more);
                        owned.add(fresh);
                        return fresh;
                    });
                }
            }
            if (!retainGraph) {
                node.release();
            }
        }
    }

    /** A gradient brought to its input's shape (summing broadcast axes) and dtype. */
    private static Tensor fit(Tensor grad, Variable input, Node node) {
        Shape target = input.shape();
        if (!grad.shape().equals(target)) {
            if (!target.broadcastsTo(grad.shape())) {
                throw new IllegalStateException(node.name() + ".backward returned a gradient of shape " + grad.shape()
                        + " for an input of shape " + target);
            }
            grad = grad.sumTo(target);
        }
        return grad.to(input.dtype());
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
