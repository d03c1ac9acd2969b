package org.autodiff4j.nn.optim;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/**
 * Updates parameters from their gradients: {@code zeroGrad()}, backward, {@code step()}. Per-parameter
 * state lives here, keyed by the parameter's name, and round-trips through {@link #state()} and
 * {@link #loadState} for checkpoints.
 */
public abstract class Optimizer {
    private final Map<String, Variable> params;
    private double learningRate;

    /**
     * An optimiser over named parameters (as from {@code Module.namedParameters()}).
     *
     * @param params the parameters to update
     * @param learningRate the learning rate
     */
    protected Optimizer(Map<String, Variable> params, double learningRate) {
        this.params = new LinkedHashMap<>(params);
        setLearningRate(learningRate);
    }

    /**
     * Names a list of parameters by position: "0", "1", ...
     *
     * @param params the parameters
     * @return the parameters under the names "0", "1", ...
     */
    protected static Map<String, Variable> byPosition(List<Variable> params) {
        Map<String, Variable> named = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            named.put(Integer.toString(i), params.get(i));
        }
        return named;
    }

    /**
     * The parameters by name.
     *
     * @return the parameters by name
     */
    public final Map<String, Variable> params() {
        return params;
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        params.values().forEach(Variable::zeroGrad);
    }

    /** One update of every parameter that has a gradient; parameters without one are left alone. */
    public final void step() {
        params.forEach((name, p) -> {
            if (p.grad() != null) {
                update(name, p.value(), p.grad());
            }
        });
        afterStep();
    }

    /**
     * Updates one parameter value in place from its gradient.
     *
     * @param name the parameter's name
     * @param value the parameter's value, updated in place
     * @param grad the parameter's gradient
     */
    protected abstract void update(String name, Tensor value, Tensor grad);

    /** Called once after each step, e.g. to count steps. */
    protected void afterStep() {
    }

    /**
     * The current learning rate.
     *
     * @return the current learning rate
     */
    public final double learningRate() {
        return learningRate;
    }

    /**
     * Sets the learning rate, e.g. from a {@link LearningRateSchedule}.
     *
     * @param learningRate the new learning rate
     */
    public final void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /**
     * The optimiser's state as named tensors (buffers and counters), for checkpoints.
     *
     * @return the optimiser's state as named tensors (buffers and counters), for checkpoints
     */
    public abstract Map<String, Tensor> state();

    /**
     * Restores state saved by {@link #state()} of an optimiser of the same kind over the same parameters.
     *
     * @param state the state as {@link #state()} returned it
     * @throws IllegalArgumentException naming what does not fit
     */
    public abstract void loadState(Map<String, Tensor> state);

    /**
     * Checks that a state tensor exists and has the parameter's shape.
     *
     * @param state the saved state
     * @param key the name of the state entry
     * @param param the parameter the entry belongs to
     * @return the state tensor
     */
    protected final Tensor required(Map<String, Tensor> state, String key, Variable param) {
        Tensor t = state.get(key);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: missing '" + key + "'");
        }
        if (param != null && !t.shape().equals(param.shape())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: '" + key + "' has shape "
                    + t.shape() + ", the parameter has shape " + param.shape());
        }
        return t;
    }

    /**
     * Scales all gradients so that their global L2 norm is at most {@code maxNorm}, as PyTorch's
     * {@code clip_grad_norm_}; returns the norm before clipping.
     *
     * @param params the parameters whose gradients are scaled
     * @param maxNorm the largest global L2 norm allowed
     * @return the global norm before clipping
     */
    public static double clipGradNorm(Collection<Variable> params, double maxNorm) {
        double sumSq = 0;
        for (Variable p : params) {
            if (p.grad() != null) {
                sumSq += p.grad().square().sum().item();
            }
        }
        double norm = Math.sqrt(sumSq);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            params.stream().filter(p -> p.grad() != null).forEach(p -> p.grad().muli(scale));
        }
        return norm;
    }
}
