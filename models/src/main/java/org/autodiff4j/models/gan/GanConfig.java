package org.autodiff4j.models.gan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.autodiff4j.nn.Checkpoint;

/**
 * The shape of a GAN: latent size, hidden layers of generator and discriminator (LeakyReLU), data
 * size, the generator's output activation, and PacGAN packing (the discriminator judges {@code pack}
 * samples at once; 1 is a plain GAN).
 *
 * @param latent              z dimensions, e.g. 100
 * @param generatorHidden     generator hidden sizes, e.g. [128, 256, 512, 1024]
 * @param discriminatorHidden discriminator hidden sizes, e.g. [512, 256]
 * @param dataDim             size of one sample, e.g. 784
 * @param slope               LeakyReLU negative slope, e.g. 0.2
 * @param tanhOutput          squash the generator's output to [-1, 1] (images scaled to [-1, 1])
 * @param pack                samples per discriminator input (PacGAN); the batch size must be a multiple
 * @param spectralNorm        spectrally normalised discriminator layers ({@link org.autodiff4j.nn.SpectralNormLinear})
 */
public record GanConfig(int latent, List<Integer> generatorHidden, List<Integer> discriminatorHidden, int dataDim,
                        double slope, boolean tanhOutput, int pack, boolean spectralNorm) {

    /**
     * A configuration with plain discriminator layers.
     *
     * @param latent the dimension of z
     * @param generatorHidden the generator's hidden layer widths
     * @param discriminatorHidden the discriminator's hidden layer widths
     * @param dataDim the dimension of a sample
     * @param slope the leaky ReLU slope
     * @param tanhOutput whether the generator's output is squashed to [-1, 1]
     * @param pack samples per discriminator input (PacGAN)
     */
    public GanConfig(int latent, List<Integer> generatorHidden, List<Integer> discriminatorHidden, int dataDim,
                     double slope, boolean tanhOutput, int pack) {
        this(latent, generatorHidden, discriminatorHidden, dataDim, slope, tanhOutput, pack, false);
    }

    /**
     * Validates sizes.
     *
     * @param latent the dimension of z
     * @param generatorHidden the generator's hidden layer widths
     * @param discriminatorHidden the discriminator's hidden layer widths
     * @param dataDim the dimension of a sample
     * @param slope the leaky ReLU slope
     * @param tanhOutput whether the generator's output is squashed to [-1, 1]
     * @param pack samples per discriminator input (PacGAN)
     * @param spectralNorm whether the discriminator's layers are spectrally normalised
     */
    public GanConfig {
        generatorHidden = List.copyOf(generatorHidden);
        discriminatorHidden = List.copyOf(discriminatorHidden);
        if (latent <= 0 || dataDim <= 0 || pack <= 0 || generatorHidden.stream().anyMatch(h -> h <= 0)
                || discriminatorHidden.stream().anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("GAN sizes must be positive: latent " + latent + ", generator "
                    + generatorHidden + ", discriminator " + discriminatorHidden + ", data " + dataDim + ", pack " + pack);
        }
    }

    /**
     * The number of parameters of both networks of a {@link Gan} of this shape, computed without
     * building it (to check a configuration against the memory available or a checkpoint first).
     *
     * @return the number of parameters
     */
    public long parameterCount() {
        return parameterCount(false);
    }

    /**
     * The number of parameters of a {@link Gan} of this shape, with or without an average of its generator.
     *
     * @param generatorAverage whether the GAN keeps an average of G's weights (a second copy of G's)
     * @return the number of parameters
     */
    public long parameterCount(boolean generatorAverage) {
        long generator = mlpParameters(latent, generatorHidden, dataDim);
        return (generatorAverage ? 2 : 1) * generator + mlpParameters((long) dataDim * pack, discriminatorHidden, 1);
    }

    private static long mlpParameters(long inputs, List<Integer> hidden, long outputs) {
        long n = 0;
        long width = inputs;
        for (int h : hidden) {
            n += width * h + h;
            width = h;
        }
        return n + width * outputs + outputs;
    }

    /**
     * The design notes' MNIST GAN: z 100 -> 128-256-512-1024 -> 784 (tanh); 784 -> 512-256 -> 1.
     *
     * @return the design notes' MNIST GAN configuration
     */
    public static GanConfig mnist() {
        return new GanConfig(100, List.of(128, 256, 512, 1024), List.of(512, 256), 784, 0.2, true, 1);
    }

    /**
     * As checkpoint metadata.
     *
     * @return the configuration as checkpoint metadata
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Checkpoint.MODEL_KEY, Gan.MODEL_NAME);
        m.put("latent", Integer.toString(latent));
        m.put("generator_hidden", join(generatorHidden));
        m.put("discriminator_hidden", join(discriminatorHidden));
        m.put("data_dim", Integer.toString(dataDim));
        m.put("slope", Double.toString(slope));
        m.put("tanh_output", Boolean.toString(tanhOutput));
        m.put("pack", Integer.toString(pack));
        m.put("spectral_norm", Boolean.toString(spectralNorm));
        return m;
    }

    private static String join(List<Integer> sizes) {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * From checkpoint metadata; throws IllegalArgumentException naming what is missing or malformed.
     *
     * @param m checkpoint metadata
     * @return the configuration the metadata describes
     */
    public static GanConfig fromMetadata(Map<String, String> m) {
        try {
            return new GanConfig(Integer.parseInt(m.get("latent")), split(m.get("generator_hidden")),
                    split(m.get("discriminator_hidden")), Integer.parseInt(m.get("data_dim")),
                    Double.parseDouble(m.get("slope")), Boolean.parseBoolean(m.get("tanh_output")),
                    Integer.parseInt(m.get("pack")), Boolean.parseBoolean(m.getOrDefault("spectral_norm", "false")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint metadata does not describe a GAN: " + m, e);
        }
    }

    private static List<Integer> split(String s) {
        return s.isEmpty() ? List.of() : java.util.Arrays.stream(s.split(",")).map(Integer::parseInt).toList();
    }
}
