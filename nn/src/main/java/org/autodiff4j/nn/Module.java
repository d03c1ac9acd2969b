package org.autodiff4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/**
 * A part of a model that owns parameters and child modules, each under a stable name, like
 * PyTorch's {@code nn.Module}. Subclasses register everything in their constructor, one line
 * each; {@link #namedParameters()} then lists parameters with dotted paths such as
 * {@code encoder.0.weight}, in registration order.
 */
public abstract class Module {
    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * Registers a trainable parameter initialised to {@code value}; returns it.
     *
     * @param name the parameter's name within this module (no dots)
     * @param value the initial value
     * @return the parameter
     */
    protected final Variable registerParameter(String name, Tensor value) {
        checkName(name);
        Variable p = Variable.parameter(value);
        parameters.put(name, p);
        return p;
    }

    /**
     * Registers a buffer: state that is saved and loaded with the parameters but is not trained (no gradient,
     * no optimiser), like PyTorch's {@code register_buffer}, e.g. spectral normalisation's power-iteration vectors.
     * The module updates it in place.
     *
     * @param name the buffer's name within this module (no dots)
     * @param value the initial value, held (not copied)
     * @return the buffer
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a child module; returns it.
     *
     * @param <M> the child's type
     * @param name the child's name within this module (no dots)
     * @param child the child module
     * @return the child
     */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module: name '" + name + "' must be non-empty and contain no '.'");
        }
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("module: name '" + name + "' is already registered in "
                    + getClass().getSimpleName());
        }
    }

    /**
     * Every parameter of this module and its descendants by dotted name, in registration order.
     *
     * @return every parameter of this module and its descendants by dotted name, in registration order
     */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collect("", out, m -> m.parameters);
        return Collections.unmodifiableMap(out);
    }

    /** This module's entries (parameters or buffers) and its descendants', under dotted names, in registration order. */
    private <T> void collect(String prefix, Map<String, T> out, java.util.function.Function<Module, Map<String, T>> own) {
        own.apply(this).forEach((name, v) -> out.put(prefix + name, v));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, own));
    }

    /**
     * Every buffer of this module and its descendants by dotted name, in registration order.
     *
     * @return the buffers (the live tensors)
     */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, m -> m.buffers);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Everything a checkpoint holds of this module: every parameter's value, then every buffer, by dotted
     * name (PyTorch's {@code state_dict}). The tensors are the live ones, not copies.
     *
     * @return parameter values and buffers by name
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((name, p) -> out.put(name, p.value()));
        out.putAll(namedBuffers());
        return Collections.unmodifiableMap(out);
    }

    /**
     * Every parameter, in the order of {@link #namedParameters()}.
     *
     * @return every parameter, in the order of {@link #namedParameters()}
     */
    public final List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * The direct children by name.
     *
     * @return the direct children by name
     */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Number of scalar parameters.
     *
     * @return number of scalar parameters
     */
    public final long parameterCount() {
        return namedParameters().values().stream().mapToLong(p -> p.value().size()).sum();
    }

    /** Clears the gradients of every parameter. */
    public final void zeroGrad() {
        namedParameters().values().forEach(Variable::zeroGrad);
    }

    /**
     * Puts this module and its descendants in training mode; returns this.
     *
     * @return this module
     */
    public Module train() {
        setTraining(true);
        return this;
    }

    /**
     * Puts this module and its descendants in evaluation mode; returns this.
     *
     * @return this module
     */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(c -> c.setTraining(on));
    }

    /**
     * True in training mode (the default).
     *
     * @return true in training mode (the default)
     */
    public final boolean isTraining() {
        return training;
    }

    /**
     * {@code f} over the rows of {@code x} in blocks of at most {@code block} (along axis 0), in evaluation mode and
     * without recording, the results concatenated along axis 0; this module's mode is restored after. Evaluating many
     * inputs so holds one block's activations, as PyTorch code loops over a DataLoader under {@code no_grad()}.
     *
     * @param x the inputs [n, ...], n at least 1
     * @param block the most rows given to {@code f} at once, at least 1
     * @param f the computation on one block, usually a forward pass through this module
     * @return f's results for all rows, [n, ...]
     * @throws IllegalArgumentException when x has no rows or block is below 1
     */
    public final Tensor evaluate(Tensor x, int block, java.util.function.UnaryOperator<Variable> f) {
        int n = x.shape().rank() == 0 ? 0 : x.shape().dim(0);
        if (n < 1 || block < 1) {
            throw new IllegalArgumentException("evaluate: needs [n, ...] inputs with n >= 1 and a block of at least 1, "
                    + "got " + x.shape() + " and " + block);
        }
        boolean wasTraining = isTraining();
        eval();
        try (NoGrad ignored = NoGrad.enter()) {
            if (n <= block) {
                return f.apply(Variable.constant(x)).value();
            }
            Tensor[] parts = new Tensor[(n + block - 1) / block];
            for (int i = 0; i < parts.length; i++) {
                int from = i * block;
                parts[i] = f.apply(Variable.constant(x.narrow(0, from, Math.min(block, n - from)))).value();
            }
            return Tensor.concat(0, parts);
        } finally {
            if (wasTraining) {
                train();
            }
        }
    }

    /**
     * Copies parameter values and buffers from {@code state} (the same names and shapes, as from
     * {@link #stateDict()}).
     *
     * @param state parameter values and buffers by dotted name
     * @throws IllegalArgumentException naming the missing, unexpected or misshapen entries
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        own.keySet().stream().filter(k -> !state.containsKey(k)).forEach(k -> problems.add("missing " + k));
        state.keySet().stream().filter(k -> !own.containsKey(k)).forEach(k -> problems.add("unexpected " + k));
        own.forEach((k, t) -> {
            Tensor given = state.get(k);
            if (given != null && !given.shape().equals(t.shape())) {
                problems.add(k + " has shape " + given.shape() + ", the model expects " + t.shape());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: the state does not fit " + getClass().getSimpleName()
                    + ": " + String.join("; ", problems));
        }
        own.forEach((k, t) -> t.copyFrom(state.get(k)));
    }
}
