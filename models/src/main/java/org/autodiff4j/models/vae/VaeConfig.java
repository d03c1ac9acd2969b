package org.autodiff4j.models.vae;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.autodiff4j.nn.Checkpoint;

/**
 * The shape of a VAE: input size, hidden layer sizes (shared by encoder and, mirrored, decoder),
 * latent size, hidden activation and the decoder's likelihood.
 *
 * @param inputDim   pixels per image, e.g. 784
 * @param hidden     hidden layer sizes from the input inwards, e.g. [500]
 * @param latent     latent dimensions, e.g. 20
 * @param activation hidden activation: tanh, sigmoid, relu or leakyrelu
 * @param likelihood Bernoulli logits per pixel, or a Gaussian mean and log-variance per pixel
 */
public record VaeConfig(int inputDim, List<Integer> hidden, int latent, String activation, Likelihood likelihood) {

    /** The decoder's distribution p(x|z). */
    public enum Likelihood {
        /** Independent Bernoulli pixels, from logits: for binary data. */
        BERNOULLI,
        /** Independent Gaussian pixels with their own mean and log-variance: for real-valued data. */
        GAUSSIAN
    }

    /**
     * Validates sizes.
     *
     * @param inputDim pixels per image
     * @param hidden the hidden layer widths
     * @param latent the latent dimension
     * @param activation the activation name
     * @param likelihood the decoder likelihood
     */
    public VaeConfig {
        hidden = List.copyOf(hidden);
        if (inputDim <= 0 || latent <= 0 || hidden.stream().anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("VAE sizes must be positive: input " + inputDim + ", hidden " + hidden
                    + ", latent " + latent);
        }
    }

    /**
     * The number of parameters a {@link Vae} of this shape has, computed without building it (to check a
     * configuration against the memory available or a checkpoint's contents first).
     *
     * @return the number of parameters
     */
    public long parameterCount() {
        long n = 0;
        long width = inputDim;
        for (int h : hidden) {
            n += width * h + h;
            width = h;
        }
        n += 2 * (width * latent + latent);
        width = latent;
        for (int i = hidden.size() - 1; i >= 0; i--) {
            n += width * hidden.get(i) + hidden.get(i);
            width = hidden.get(i);
        }
        long outputs = likelihood == Likelihood.GAUSSIAN ? 2L * inputDim : inputDim;
        return n + width * outputs + outputs;
    }

    /**
     * The default model of the design notes: 784-500-20, tanh, Bernoulli.
     *
     * @return the design notes' default model configuration
     */
    public static VaeConfig defaults() {
        return new VaeConfig(784, List.of(500), 20, "tanh", Likelihood.BERNOULLI);
    }

    /**
     * As checkpoint metadata.
     *
     * @return the configuration as checkpoint metadata
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Checkpoint.MODEL_KEY, Vae.MODEL_NAME);
        m.put("input_dim", Integer.toString(inputDim));
        m.put("hidden", hidden.stream().map(String::valueOf).collect(Collectors.joining(",")));
        m.put("latent", Integer.toString(latent));
        m.put("activation", activation);
        m.put("likelihood", likelihood.name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    /**
     * From checkpoint metadata; throws IllegalArgumentException naming a missing or malformed key.
     *
     * @param m checkpoint metadata
     * @return the configuration the metadata describes
     */
    public static VaeConfig fromMetadata(Map<String, String> m) {
        try {
            List<Integer> hidden = m.get("hidden").isEmpty() ? List.of()
                    : Arrays.stream(m.get("hidden").split(",")).map(Integer::parseInt).toList();
            return new VaeConfig(Integer.parseInt(m.get("input_dim")), hidden, Integer.parseInt(m.get("latent")),
                    m.get("activation"), Likelihood.valueOf(m.get("likelihood").toUpperCase(java.util.Locale.ROOT)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint metadata does not describe a VAE: " + m, e);
        }
    }
}
