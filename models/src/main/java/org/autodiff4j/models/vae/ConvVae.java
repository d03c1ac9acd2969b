package org.autodiff4j.models.vae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Conv2d;
import org.autodiff4j.nn.ConvTranspose2d;
import org.autodiff4j.nn.Layer;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Pooling;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.tensor.Generator;

/**
 * A convolutional VAE for small square images: the encoder unflattens [n, C size size] rows to images and runs two
 * stride-2 convolutions (4x4, padding 1) to 32 x 2s x 2s and 64 x s x s (s = size / 4), ReLU after each, then
 * optional fully connected hidden layers (ReLU) of the given widths; linear heads map the last features to the mean
 * and log-variance of q(z|x). The decoder mirrors it: linear layers through the hidden widths in reverse to
 * 64 x s x s, ReLU after each, transposed convolutions to 32 x 2s x 2s (ReLU) and to C x size x size (2C for a
 * Gaussian likelihood: means, then log-variances), flattened to the VAE's rows. PyTorch's default initialisation.
 */
public final class ConvVae {
    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "conv-vae";

    private ConvVae() {
    }

    /**
     * The convolutional VAE as a {@link Vae} on [n, C size size] rows, with no fully connected hidden layers.
     *
     * @param latent the size of z
     * @param channels C of the images
     * @param size the images' height and width, a multiple of 4
     * @param likelihood the decoder's distribution
     * @param g the generator the initial weights are drawn from
     * @return the VAE, described for checkpoints as {@code model=conv-vae}
     * @throws IllegalArgumentException when a size is not positive or size is not a multiple of 4
     */
    public static Vae of(int latent, int channels, int size, VaeConfig.Likelihood likelihood, Generator g) {
        return of(latent, List.of(), channels, size, likelihood, g);
    }

    /**
     * The convolutional VAE as a {@link Vae} on [n, C size size] rows, with fully connected hidden layers of the
     * given widths between the convolutions' 64 s s features and the latent heads (and mirrored in the decoder).
     *
     * @param latent the size of z
     * @param hidden the hidden layers' widths from the convolutions inwards; empty for none
     * @param channels C of the images
     * @param size the images' height and width, a multiple of 4
     * @param likelihood the decoder's distribution
     * @param g the generator the initial weights are drawn from
     * @return the VAE, described for checkpoints as {@code model=conv-vae}
     * @throws IllegalArgumentException when a size or width is not positive or size is not a multiple of 4
     */
    public static Vae of(int latent, List<Integer> hidden, int channels, int size, VaeConfig.Likelihood likelihood,
                         Generator g) {
        if (latent < 1 || channels < 1 || size < 4 || size % 4 != 0 || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("ConvVae: latent " + latent + ", channels " + channels
                    + " and hidden " + hidden + " must be positive, size " + size + " a multiple of 4");
        }
        int s = size / 4;
        int features = 64 * s * s;
        int outChannels = likelihood == VaeConfig.Likelihood.GAUSSIAN ? 2 * channels : channels;
        List<Layer> enc = new ArrayList<>(List.of(new Pooling.Unflatten(channels, size, size),
                new Conv2d(channels, 32, 4, 2, 1, g), new Activation.Relu(true),
                new Conv2d(32, 64, 4, 2, 1, g), new Activation.Relu(true), new Pooling.Flatten()));
        int width = features;
        for (int h : hidden) {
            enc.add(new Linear(width, h, g));
            enc.add(new Activation.Relu(true));
            width = h;
        }
        Linear mean = new Linear(width, latent, g);
        Linear logvar = new Linear(width, latent, g);
        List<Layer> dec = new ArrayList<>();
        width = latent;
        for (int i = hidden.size() - 1; i >= 0; i--) {
            dec.add(new Linear(width, hidden.get(i), g));
            dec.add(new Activation.Relu(true));
            width = hidden.get(i);
        }
        dec.addAll(List.of(new Linear(width, features, g), new Activation.Relu(true),
                new Pooling.Unflatten(64, s, s),
                new ConvTranspose2d(64, 32, 4, 2, 1, g), new Activation.Relu(true),
                new ConvTranspose2d(32, outChannels, 4, 2, 1, g), new Pooling.Flatten()));
        return new Vae(new Sequential(enc), mean, logvar, new Sequential(dec),
                channels * size * size, latent, likelihood, description(latent, hidden, channels, size, likelihood));
    }

    /**
     * The checkpoint metadata of a convolutional VAE with no hidden layers.
     *
     * @param latent the size of z
     * @param channels C
     * @param size H and W
     * @param likelihood the decoder's distribution
     * @return the metadata, with {@code model=conv-vae}
     */
    public static Map<String, String> description(int latent, int channels, int size, VaeConfig.Likelihood likelihood) {
        return description(latent, List.of(), channels, size, likelihood);
    }

    /**
     * The checkpoint metadata of a convolutional VAE: {@code hidden} (comma-separated widths) only when there are
     * hidden layers, so checkpoints without them read as before.
     *
     * @param latent the size of z
     * @param hidden the hidden layers' widths; empty for none
     * @param channels C
     * @param size H and W
     * @param likelihood the decoder's distribution
     * @return the metadata, with {@code model=conv-vae}
     */
    public static Map<String, String> description(int latent, List<Integer> hidden, int channels, int size,
                                                  VaeConfig.Likelihood likelihood) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Checkpoint.MODEL_KEY, MODEL_NAME);
        m.put("latent", Integer.toString(latent));
        if (!hidden.isEmpty()) {
            m.put("hidden", hidden.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        m.put("channels", Integer.toString(channels));
        m.put("size", Integer.toString(size));
        m.put("likelihood", likelihood.name().toLowerCase(Locale.ROOT));
        return m;
    }

    /**
     * The convolutional VAE a checkpoint's metadata describes, with fresh weights: the
     * {@link org.autodiff4j.models.ModelRegistry} entry.
     *
     * @param metadata the checkpoint's metadata
     * @return the VAE
     * @throws IllegalArgumentException when the metadata does not describe a convolutional VAE
     */
    public static Vae fromMetadata(Map<String, String> metadata) {
        try {
            return of(Integer.parseInt(metadata.get("latent")), hidden(metadata), Integer.parseInt(metadata.get("channels")),
                    Integer.parseInt(metadata.get("size")),
                    VaeConfig.Likelihood.valueOf(metadata.get("likelihood").toUpperCase(Locale.ROOT)), new Generator(0));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint metadata does not describe a convolutional VAE: " + metadata, e);
        }
    }

    /**
     * The number of parameters of a convolutional VAE, from its metadata alone (checked against a file before
     * building it).
     *
     * @param metadata the checkpoint's metadata
     * @return the parameter count
     */
    public static long parameterCount(Map<String, String> metadata) {
        long latent = Long.parseLong(metadata.get("latent"));
        long c = Long.parseLong(metadata.get("channels"));
        long s = Long.parseLong(metadata.get("size")) / 4;
        long out = "gaussian".equals(metadata.get("likelihood")) ? 2 * c : c;
        long width = 64 * s * s;
        long fullyConnected = 0;
        for (int h : hidden(metadata)) {
            fullyConnected += 2 * width * h + width + h;
            width = h;
        }
        long convolutions = c * 32 * 16 + 32 + 32 * 64 * 16 + 64 + 64 * 32 * 16 + 32 + 32 * out * 16 + out;
        return convolutions + fullyConnected + 2 * (width * latent + latent) + latent * width + width;
    }

    private static List<Integer> hidden(Map<String, String> metadata) {
        String h = metadata.get("hidden");
        return h == null || h.isEmpty() ? List.of() : Arrays.stream(h.split(",")).map(Integer::parseInt).toList();
    }
}
