package org.autodiff4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autodiff4j.models.ModelRegistry;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.nn.Module;
import org.autodiff4j.runs.ImageGrid;
import org.autodiff4j.tensor.Tensor;

/**
 * The model any checkpoint the commands write holds (vae.safetensors, gan.safetensors, checkpoint.safetensors),
 * through the {@link ModelRegistry}: the bundled VAE and GAN, and any GAN a user registers.
 */
record LoadedModel(Module model, Path file) {

    /**
     * Reads the model a checkpoint holds.
     *
     * @throws IllegalArgumentException when the file does not exist
     * @throws IOException naming the file when it is damaged or holds no model the registry knows
     */
    static LoadedModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--checkpoint " + file + " does not exist");
        }
        Module model = ModelRegistry.standard().load(file);
        if (!(model instanceof Vae) && !(model instanceof Gan)) {
            throw new IOException(file + ": holds a " + model.getClass().getSimpleName() + ", neither a VAE nor a GAN");
        }
        return new LoadedModel(model, file);
    }

    /** The VAE, or null. */
    Vae vae() {
        return model instanceof Vae v ? v : null;
    }

    /** The GAN, or null. */
    Gan gan() {
        return model instanceof Gan g ? g : null;
    }

    /** (H, W) of the model's samples; an IllegalArgumentException naming this file when they are not images. */
    int[] heightWidth(Tensor samples) {
        try {
            return ImageGrid.heightWidth(samples);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
