package org.autodiff4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/** Reverse-mode backward pass: one topological sort, then each node's rule once, in reverse order. */
final class Engine {
    private Engine() {
    }

    static void backward(Variable root, Tensor gradOut, boolean retainGraph) {
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
            if (node == null) {
                v.accumulateGrad(g);
                continue;
            }
            Variable[] inputs = node.inputs();
            node.checkSavedValues();
            Tensor[] inputGrads = node.backward(g);
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
