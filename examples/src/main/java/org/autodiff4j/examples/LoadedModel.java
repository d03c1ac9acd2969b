package org.autodiff4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.tensor.Generator;

/** A VAE or GAN read from any checkpoint the commands write (vae.safetensors, gan.safetensors, checkpoint.safetensors). */
record LoadedModel(Vae vae, Gan gan, Map<String, String> metadata) {

    /**
     * Reads the model a checkpoint holds.
     *
     * @throws IllegalArgumentException when the file does not exist
     * @throws IOException naming the file when it is damaged or holds neither a VAE nor a GAN
     */
    static LoadedModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--checkpoint " + file + " does not exist");
        }
        SafeTensors.Contents contents = Checkpoint.read(file);
        Map<String, String> meta = contents.metadata();
        String kind = meta.get(Checkpoint.MODEL_KEY);
        try {
            if (Vae.MODEL_NAME.equals(kind)) {
                VaeConfig config = VaeConfig.fromMetadata(meta);
                Checkpoint.requireParameters(file, contents, config.parameterCount());
                Vae vae = new Vae(config, new Generator(0));
                Checkpoint.load(file, vae, null, Vae.MODEL_NAME);
                return new LoadedModel(vae, null, meta);
            }
            if (Gan.MODEL_NAME.equals(kind)) {
                GanConfig config = GanConfig.fromMetadata(meta);
                Checkpoint.requireParameters(file, contents, config.parameterCount());
                Gan gan = new Gan(config, new Generator(0));
                Checkpoint.load(file, gan, null, Gan.MODEL_NAME);
                return new LoadedModel(null, gan, meta);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad model configuration: " + e.getMessage(), e);
        }
        throw new IOException(file + ": holds neither a VAE nor a GAN (model '" + kind + "')");
    }

    /** Pixels per image the model makes. */
    int imageSize() {
        return vae != null ? vae.config().inputDim() : gan.config().dataDim();
    }
}
