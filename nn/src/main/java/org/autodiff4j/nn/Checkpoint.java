package org.autodiff4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.tensor.Tensor;

/**
 * A model's parameters (under their module-tree names, e.g. {@code encoder.0.weight}) and optionally
 * its optimisers' state (under {@code optimizer.NAME.}, or {@code optimizer.} for one unnamed optimiser)
 * and a training loop's tensors (under {@code trainer.}) in one safetensors file, with the model's
 * configuration as metadata. The {@code model} metadata key names the kind of model; loading a
 * checkpoint of another kind, or of another shape, fails with a message that says what differs.
 */
public final class Checkpoint {
    /** Metadata key naming the kind of model. */
    public static final String MODEL_KEY = "model";
    private static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final String TRAINER_PREFIX = "trainer.";

    private Checkpoint() {
    }

    /**
     * Saves the model, the optimiser's state (when not null) and metadata, atomically.
     *
     * @param path the checkpoint file
     * @param model the model
     * @param optimizer the optimiser whose state is saved too, or null
     * @param metadata string metadata stored in the file header
     * @throws IOException when the file cannot be written
     */
    public static void save(Path path, Module model, Optimizer optimizer, Map<String, String> metadata)
            throws IOException {
        save(path, model, optimizer, Map.of(), metadata);
    }

    /**
     * Saves the model, the optimiser's state (when not null), a training loop's own tensors (under
     * {@code trainer.}, e.g. the best parameters so far) and metadata, atomically.
     *
     * @param path the checkpoint file
     * @param model the model
     * @param optimizer the optimiser whose state is saved too, or null
     * @param trainerTensors the training loop's own tensors, saved under {@code trainer.}
     * @param metadata string metadata stored in the file header
     * @throws IOException when the file cannot be written
     */
    public static void save(Path path, Module model, Optimizer optimizer, Map<String, Tensor> trainerTensors,
                            Map<String, String> metadata) throws IOException {
        saveAll(path, model, optimizer == null ? Map.of() : Map.of("", optimizer), trainerTensors, metadata);
    }

    /**
     * Saves the model, the state of named optimisers (each under {@code optimizer.NAME.}; the empty name
     * stands for {@code optimizer.}), a training loop's own tensors and metadata, atomically.
     *
     * @param path the checkpoint file
     * @param model the model
     * @param optimizers the optimisers by name, e.g. {@code generator} and {@code discriminator}
     * @param trainerTensors the training loop's own tensors, saved under {@code trainer.}
     * @param metadata string metadata stored in the file header
     * @throws IOException when the file cannot be written
     */
    public static void saveAll(Path path, Module model, Map<String, ? extends Optimizer> optimizers,
                            Map<String, Tensor> trainerTensors, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.putAll(model.stateDict());
        new TreeMap<>(optimizers).forEach((opt, o) ->
                new TreeMap<>(o.state()).forEach((name, t) -> tensors.put(optimizerPrefix(opt) + name, t)));
        trainerTensors.forEach((name, t) -> tensors.put(TRAINER_PREFIX + name, t));
        SafeTensors.write(path, tensors, metadata);
    }

    private static String optimizerPrefix(String name) {
        return name.isEmpty() ? OPTIMIZER_PREFIX : OPTIMIZER_PREFIX + name + ".";
    }

    /**
     * The training loop's tensors of a checkpoint read with {@link #read}, without their prefix.
     *
     * @param contents a checkpoint as {@link #read} returned it
     * @return the training loop's tensors of a checkpoint read with {@link #read}, without their prefix
     */
    public static Map<String, Tensor> trainerTensors(SafeTensors.Contents contents) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        contents.tensors().forEach((name, t) -> {
            if (name.startsWith(TRAINER_PREFIX)) {
                out.put(name.substring(TRAINER_PREFIX.length()), t);
            }
        });
        return out;
    }

    /**
     * Reads only the metadata and tensors of a checkpoint.
     *
     * @param path the checkpoint file
     * @return the metadata and every tensor
     * @throws IOException naming the file and the byte offset when it is damaged
     */
    public static SafeTensors.Contents read(Path path) throws IOException {
        return SafeTensors.read(path);
    }

    /**
     * Loads parameters (and the optimiser's state, when not null) into a model of the same kind.
     *
     * @param path the checkpoint file
     * @param model the model to load into
     * @param optimizer the optimiser to load into, or null to leave its state
     * @param expectedModel the {@code model} metadata value this model writes
     * @return the checkpoint's metadata
     * @throws IOException when the file is damaged or holds another kind or shape of model
     */
    public static Map<String, String> load(Path path, Module model, Optimizer optimizer, String expectedModel)
            throws IOException {
        return loadAll(path, model, optimizer == null ? Map.of() : Map.of("", optimizer), expectedModel);
    }

    /**
     * Loads parameters and the state of named optimisers (as {@link #saveAll} wrote
     * them) into a model of the same kind; optimisers not named are left as they are.
     *
     * @param path the checkpoint file
     * @param model the model to load into
     * @param optimizers the optimisers to load into, by the names they were saved under
     * @param expectedModel the {@code model} metadata value this model writes, or null to accept any
     * @return the checkpoint's metadata
     * @throws IOException when the file is damaged or holds another kind or shape of model, or lacks an
     *         optimiser's state
     */
    public static Map<String, String> loadAll(Path path, Module model, Map<String, ? extends Optimizer> optimizers,
                                           String expectedModel) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(path);
        String kind = c.metadata().get(MODEL_KEY);
        if (expectedModel != null && !expectedModel.equals(kind)) {
            throw new IOException(path + ": holds a checkpoint of model '" + kind + "', not '" + expectedModel + "'");
        }
        requireFinite(path, c);
        Map<String, Tensor> params = new LinkedHashMap<>();
        c.tensors().forEach((name, t) -> {
            if (!name.startsWith(OPTIMIZER_PREFIX) && !name.startsWith(TRAINER_PREFIX)) {
                params.put(name, t);
            }
        });
        try {
            model.loadStateDict(params);
            for (Map.Entry<String, ? extends Optimizer> o : optimizers.entrySet()) {
                String prefix = optimizerPrefix(o.getKey());
                Map<String, Tensor> state = new LinkedHashMap<>();
                c.tensors().forEach((name, t) -> {
                    if (name.startsWith(prefix)) { // an optimiser reads only its own keys from what it is given
                        state.put(name.substring(prefix.length()), t);
                    }
                });
                o.getValue().loadState(state);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        return c.metadata();
    }

    /**
     * Checks that a checkpoint's model tensors hold at least {@code parameters} numbers before a model of
     * that size is built from its metadata, so that damaged or forged metadata cannot make a loader
     * allocate a model far larger than the file.
     *
     * @param path the checkpoint file, for the message
     * @param contents its contents
     * @param parameters the parameter count the metadata describes
     * @throws IOException naming the file and both counts when the file holds fewer numbers
     */
    public static void requireParameters(Path path, SafeTensors.Contents contents, long parameters) throws IOException {
        long held = contents.tensors().entrySet().stream()
                .filter(e -> !e.getKey().startsWith(OPTIMIZER_PREFIX) && !e.getKey().startsWith(TRAINER_PREFIX))
                .mapToLong(e -> e.getValue().size()).sum();
        if (parameters > held) {
            throw new IOException(path + ": its metadata describes a model of " + parameters
                    + " parameters, but the file holds " + held + " model numbers (damaged metadata?)");
        }
    }

    /** Rejects NaN and infinite numbers anywhere in a checkpoint, naming the tensor and element. */
    private static void requireFinite(Path path, SafeTensors.Contents contents) throws IOException {
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            int bad = e.getValue().firstNonFinite();
            if (bad >= 0) {
                throw new IOException(path + ": tensor '" + e.getKey() + "' holds " + e.getValue().getFlat(bad)
                        + " at element " + bad + " (a checkpoint of a diverged or damaged run)");
            }
        }
    }
}
