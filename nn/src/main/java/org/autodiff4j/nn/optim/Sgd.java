package org.autodiff4j.nn.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
 * PyTorch's {@code torch.optim.SGD} (dampening 0): {@code g' = g + wd p; v = mu v + g';
 * p -= lr (nesterov ? g' + mu v : v)}.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final Map<String, Tensor> velocity = new HashMap<>();

    /**
     * Plain SGD.
     *
     * @param params the parameters to update
     * @param learningRate the learning rate
     */
    public Sgd(List<Variable> params, double learningRate) {
        this(byPosition(params), learningRate, 0.0, false, 0.0);
    }

    /**
     * SGD with momentum, optionally Nesterov, and weight decay over named parameters.
     *
     * @param params the parameters to update
     * @param learningRate the learning rate
     * @param momentum the momentum factor (0 for plain SGD)
     * @param nesterov whether the Nesterov form of momentum is used
     * @param weightDecay the L2 penalty coefficient (0 for none)
     */
    public Sgd(Map<String, Variable> params, double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(params, learningRate);
        if (momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("Sgd: momentum and weight decay must be >= 0, got " + momentum
                    + " and " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void update(String name, Tensor p, Tensor grad) {
        Tensor g = weightDecay == 0 ? grad : grad.add(p.mul(weightDecay));
        Tensor direction = g;
        if (momentum != 0) {
            Tensor v = velocity.get(name);
            if (v == null) {
                v = g.copy();
                velocity.put(name, v);
            } else {
                v.muli(momentum).addi(g);
            }
            direction = nesterov ? g.add(v.mul(momentum)) : v;
        }
        p.axpyi(-learningRate(), direction);
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new HashMap<>();
        velocity.forEach((name, v) -> s.put("momentum_buffer." + name, v));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        velocity.clear();
        params().forEach((name, p) -> {
            String key = "momentum_buffer." + name;
            if (state.containsKey(key)) {
                velocity.put(name, required(state, key, p).copy());
            }
        });
    }
}
