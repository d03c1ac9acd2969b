package org.autodiff4j.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import org.autodiff4j.models.gan.Dcgan;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.vae.ConvVae;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.tensor.Generator;

/**
 * The models a checkpoint can hold, by its {@code model} metadata: each entry rebuilds the networks from the
 * checkpoint's metadata, and {@link #load} then reads their parameters. The standard registry has the bundled VAEs
 * (fully connected and convolutional), GANs (fully connected and DCGAN) and every {@link Provider} on the class
 * path ({@link ServiceLoader}), so a user's model in a jar of their own is found by {@code sample} and
 * {@code evaluate} too; {@link #with} adds an entry in code.
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.standard().with("tiny-gan", meta -> TinyGan.build(meta));
 * Module model = registry.load(Path.of("run/gan.safetensors"));
 * }</pre>
 */
public final class ModelRegistry {
    /** Builds a model with fresh parameters from a checkpoint's metadata. */
    @FunctionalInterface
    public interface Loader {
        /**
         * The model the metadata describes, with any parameters: the registry loads the checkpoint's into it.
         *
         * @param metadata the checkpoint's metadata
         * @return the model
         * @throws IllegalArgumentException when the metadata does not describe a model of this kind
         */
        Module build(Map<String, String> metadata);
    }

    /** Entries found on the class path: list the class in {@code META-INF/services/org.autodiff4j.models.ModelRegistry$Provider}. */
    public interface Provider {
        /**
         * The entries this provider adds, by {@code model} name.
         *
         * @return the loaders by model name
         */
        Map<String, Loader> loaders();
    }

    private final Map<String, Loader> loaders;

    /** A loader whose parameter count the metadata gives before the model is built. */
    private record Sized(java.util.function.ToLongFunction<Map<String, String>> parameterCount, Loader build)
            implements Loader {
        @Override
        public Module build(Map<String, String> metadata) {
            return build.build(metadata);
        }
    }

    private static Loader sized(java.util.function.ToLongFunction<Map<String, String>> count, Loader build) {
        return new Sized(count, build);
    }

    private ModelRegistry(Map<String, Loader> loaders) {
        this.loaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loaders));
    }

    /**
     * The bundled VAEs and GANs, and the entries of every {@link Provider} on the class path.
     *
     * @return the standard registry
     */
    public static ModelRegistry standard() {
        Map<String, Loader> m = new LinkedHashMap<>();
        // the bundled models' sizes follow from their metadata: checked against the file before anything is allocated
        m.put(Vae.MODEL_NAME, sized(meta -> VaeConfig.fromMetadata(meta).parameterCount(),
                meta -> new Vae(VaeConfig.fromMetadata(meta), new Generator(0))));
        m.put(Gan.MODEL_NAME, sized(meta -> GanConfig.fromMetadata(meta).parameterCount(Gan.averageDecay(meta) > 0),
                meta -> Gan.mlp(GanConfig.fromMetadata(meta), Gan.averageDecay(meta), new Generator(0))));
        m.put(Dcgan.MODEL_NAME, sized(Dcgan::parameterCount, Dcgan::fromMetadata));
        m.put(ConvVae.MODEL_NAME, sized(ConvVae::parameterCount, ConvVae::fromMetadata));
        for (Provider p : ServiceLoader.load(Provider.class)) {
            m.putAll(p.loaders());
        }
        return new ModelRegistry(m);
    }

    /**
     * This registry with one more entry (replacing one of the same name).
     *
     * @param model the {@code model} metadata value it loads
     * @param loader how to build the model
     * @return the new registry
     */
    public ModelRegistry with(String model, Loader loader) {
        Map<String, Loader> m = new LinkedHashMap<>(loaders);
        m.put(model, loader);
        return new ModelRegistry(m);
    }

    /**
     * The model names this registry loads.
     *
     * @return the names
     */
    public Set<String> models() {
        return loaders.keySet();
    }

    /**
     * The model a checkpoint holds, with its parameters.
     *
     * @param file a checkpoint (a model file or a training checkpoint)
     * @return the model
     * @throws IOException naming the file when it cannot be read, names no known model, or its metadata or
     *         parameters do not fit the model
     */
    public Module load(Path file) throws IOException {
        SafeTensors.Contents contents = Checkpoint.read(file);
        String kind = contents.metadata().get(Checkpoint.MODEL_KEY);
        Loader loader = kind == null ? null : loaders.get(kind);
        if (loader == null) {
            throw new IOException(file + ": holds model '" + kind + "', which no registry entry loads (known: "
                    + String.join(", ", loaders.keySet()) + ")");
        }
        Module model;
        try {
            if (loader instanceof Sized sized) {
                Checkpoint.requireParameters(file, contents, sized.parameterCount().applyAsLong(contents.metadata()));
            }
            model = loader.build(contents.metadata());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad model configuration: " + e.getMessage(), e);
        }
        Checkpoint.requireParameters(file, contents, model.parameterCount());
        Checkpoint.load(file, model, null, kind);
        return model;
    }
}
