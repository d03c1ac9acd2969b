package org.autodiff4j.models.gan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.BatchNorm;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Conv2d;
import org.autodiff4j.nn.ConvTranspose2d;
import org.autodiff4j.nn.Layer;
import org.autodiff4j.nn.LayerNorm;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Pooling;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A DCGAN for small square images (Radford et al. 2016), the two networks of pytorch/examples' dcgan scaled to
 * 28x28: the generator maps z to 128 x s x s (s = size / 4) through a linear layer, then two stride-2 transposed
 * convolutions (4x4, padding 1) to 64 x 2s x 2s and C x 4s x 4s, batch norm and ReLU between, tanh out; the
 * discriminator mirrors it with two stride-2 convolutions (64, then 128 with batch norm), LeakyReLU 0.2, and a
 * linear layer to one logit. Weights N(0, 0.02), batch norm weights N(1, 0.02), biases 0, as the paper's
 * {@code weights_init}. Images are [N, C, size, size] in [-1, 1]. With packing (PacGAN) the discriminator judges
 * {@code pack} samples at once, joined along the channels: its first convolution takes C pack channels. The
 * discriminator's normalisation is the paper's batch norm by default, or layer norm or none ({@link Norm}).
 */
public final class Dcgan {
    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "dcgan";

    /** The description's entry naming the discriminator's normalisation, present only when it is not batch norm. */
    public static final String NORM_KEY = "discriminator_norm";

    /**
     * The normalisation after the discriminator's second convolution. Batch norm mixes the samples of a batch, so a
     * penalty on D's input gradient (WGAN-GP, R1) is then taken per batch, not per sample (Gulrajani et al. 2017,
     * section 4): use {@link #LAYER} or {@link #NONE} with a penalty.
     */
    public enum Norm {
        /** {@code BatchNorm2d(128)}, weight N(1, 0.02): the paper's. */
        BATCH,
        /** {@code LayerNorm(128, s, s)} over each sample's channels and pixels, weight 1 and bias 0. */
        LAYER,
        /** No normalisation. */
        NONE;

        /** The names {@link #named} accepts, in the order of the constants. */
        public static final List<String> NAMES = List.of("batch", "layer", "none");

        /**
         * The normalisation named {@code batch}, {@code layer} or {@code none}.
         *
         * @param name one of {@link #NAMES}
         * @return the normalisation of that name
         * @throws IllegalArgumentException naming the allowed names
         */
        public static Norm named(String name) {
            return values()[Names.indexOf(NAMES, name, "Dcgan: unknown discriminator norm")];
        }

        /**
         * This normalisation's name, one of {@link #NAMES}.
         *
         * @return the name
         */
        public String label() {
            return NAMES.get(ordinal());
        }
    }

    private Dcgan() {
    }

    /**
     * The DCGAN's generator and discriminator as a {@link Gan}.
     *
     * @param latent the size of z (100 in the paper)
     * @param channels C of the images
     * @param size the images' height and width, a multiple of 4
     * @param g the generator the initial weights are drawn from
     * @return the GAN, described for checkpoints as {@code model=dcgan}
     * @throws IllegalArgumentException when a size is not positive or size is not a multiple of 4
     */
    public static Gan of(int latent, int channels, int size, Generator g) {
        return of(latent, channels, size, 1, g);
    }

    /**
     * The DCGAN with a discriminator that judges {@code pack} samples at once (PacGAN, Lin et al. 2018: [n, C, H, W]
     * samples become [n / pack, C pack, H, W], each pack consecutive ones joined along the channels).
     *
     * @param latent the size of z
     * @param channels C of the images
     * @param size the images' height and width, a multiple of 4
     * @param pack samples the discriminator judges at once (1: one)
     * @param g the generator the initial weights are drawn from
     * @return the GAN, described for checkpoints as {@code model=dcgan} (with {@code pack} when above 1)
     * @throws IllegalArgumentException when a size or pack is not positive or size is not a multiple of 4
     */
    public static Gan of(int latent, int channels, int size, int pack, Generator g) {
        return of(latent, channels, size, pack, 0.0, g);
    }

    /**
     * The DCGAN that also keeps an exponential moving average of its generator's weights with the given decay
     * (see {@link Gan#Gan(Layer, Layer, int, int, Map, Layer, double)}); its initial weights are G's, so {@code g}
     * is drawn from exactly as without it.
     *
     * @param latent the size of z
     * @param channels C of the images
     * @param size the images' height and width, a multiple of 4
     * @param pack samples the discriminator judges at once (1: one)
     * @param averageDecay the average's decay in (0, 1), or 0 for no average
     * @param g the generator the initial weights are drawn from
     * @return the GAN, described for checkpoints as {@code model=dcgan} (with {@code ema} when it keeps an average)
     * @throws IllegalArgumentException when a size or pack is not positive, size is not a multiple of 4, or the
     *         decay is neither 0 nor in (0, 1)
     */
    public static Gan of(int latent, int channels, int size, int pack, double averageDecay, Generator g) {
        return of(latent, channels, size, pack, averageDecay, Norm.BATCH, g);
    }

    /**
     * The DCGAN with the given normalisation in its discriminator (see {@link Norm}).
     *
     * @param latent the size of z
     * @param channels C of the images
     * @param size the images' height and width, a multiple of 4
     * @param pack samples the discriminator judges at once (1: one)
     * @param averageDecay the generator average's decay in (0, 1), or 0 for no average
     * @param norm the discriminator's normalisation
     * @param g the generator the initial weights are drawn from
     * @return the GAN, described for checkpoints as {@code model=dcgan} (with {@value #NORM_KEY} unless batch norm)
     * @throws IllegalArgumentException when a size or pack is not positive, size is not a multiple of 4, or the
     *         decay is neither 0 nor in (0, 1)
     */
    public static Gan of(int latent, int channels, int size, int pack, double averageDecay, Norm norm, Generator g) {
        if (latent < 1 || channels < 1 || pack < 1 || size < 4 || size % 4 != 0) {
            throw new IllegalArgumentException("Dcgan: latent " + latent + ", channels " + channels + " and pack " + pack
                    + " must be positive, size " + size + " a multiple of 4");
        }
        int s = size / 4;
        Sequential generator = generator(latent, channels, s, g);
        List<Layer> discriminator = new ArrayList<>(List.of(downsample(channels * pack, 64, g),
                new Activation.LeakyRelu(0.2, true), downsample(64, 128, g)));
        switch (norm) {
            case BATCH -> discriminator.add(batchNorm(BatchNorm.of2d(128), g));
            case LAYER -> discriminator.add(new LayerNorm(128, s, s));
            case NONE -> { }
        }
        discriminator.addAll(List.of(new Activation.LeakyRelu(0.2, true), new Pooling.Flatten(),
                new Linear(128 * s * s, 1, Init.DCGAN_NORMAL, DType.FLOAT32, g)));
        Map<String, String> description = description(latent, channels, size, pack);
        if (norm != Norm.BATCH) {
            description.put(NORM_KEY, norm.label());
        }
        if (averageDecay == 0) {
            return new Gan(generator, new Sequential(discriminator), latent, pack, description);
        }
        return new Gan(generator, new Sequential(discriminator), latent, pack, description,
                generator(latent, channels, s, new Generator(0)), averageDecay);
    }

    private static Sequential generator(int latent, int channels, int s, Generator g) {
        return new Sequential(
                new Linear(latent, 128 * s * s, Init.DCGAN_NORMAL, DType.FLOAT32, g), batchNorm(BatchNorm.of1d(128 * s * s), g),
                new Activation.Relu(true), new Pooling.Unflatten(128, s, s),
                upsample(128, 64, g), batchNorm(BatchNorm.of2d(64), g), new Activation.Relu(true),
                upsample(64, channels, g), new Activation.Tanh());
    }

    /**
     * The checkpoint metadata of a DCGAN.
     *
     * @param latent the size of z
     * @param channels C
     * @param size H and W
     * @return the metadata, with {@code model=dcgan}
     */
    public static Map<String, String> description(int latent, int channels, int size) {
        return description(latent, channels, size, 1);
    }

    /**
     * The checkpoint metadata of a DCGAN whose discriminator judges {@code pack} samples at once.
     *
     * @param latent the size of z
     * @param channels C
     * @param size H and W
     * @param pack samples judged at once; recorded only when above 1, so that unpacked checkpoints read as before
     * @return the metadata, with {@code model=dcgan}
     */
    public static Map<String, String> description(int latent, int channels, int size, int pack) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Checkpoint.MODEL_KEY, MODEL_NAME);
        m.put("latent", Integer.toString(latent));
        m.put("channels", Integer.toString(channels));
        m.put("size", Integer.toString(size));
        if (pack > 1) {
            m.put("pack", Integer.toString(pack));
        }
        return m;
    }

    /**
     * The DCGAN a checkpoint's metadata describes, with fresh weights: the {@link org.autodiff4j.models.ModelRegistry}
     * entry.
     *
     * @param metadata the checkpoint's metadata
     * @return the GAN
     * @throws IllegalArgumentException when the metadata does not describe a DCGAN
     */
    public static Gan fromMetadata(Map<String, String> metadata) {
        try {
            return of(Integer.parseInt(metadata.get("latent")), Integer.parseInt(metadata.get("channels")),
                    Integer.parseInt(metadata.get("size")), pack(metadata), Gan.averageDecay(metadata), norm(metadata),
                    new Generator(0));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint metadata does not describe a DCGAN: " + metadata, e);
        }
    }

    /**
     * The number of parameters of a DCGAN, from its sizes alone (checked against a file before building it).
     *
     * @param metadata the checkpoint's metadata
     * @return the parameter count
     */
    public static long parameterCount(Map<String, String> metadata) {
        long latent = Long.parseLong(metadata.get("latent"));
        long c = Long.parseLong(metadata.get("channels"));
        long s = Long.parseLong(metadata.get("size")) / 4;
        long hidden = 128 * s * s;
        long generator = latent * hidden + hidden + 2 * hidden + 128 * 64 * 16 + 64 + 2 * 64 + 64 * c * 16 + c;
        long normalisation = switch (norm(metadata)) {
            case BATCH -> 2 * 128;
            case LAYER -> 2 * hidden;
            case NONE -> 0;
        };
        long discriminator = c * pack(metadata) * 64 * 16 + 64 + 64 * 128 * 16 + 128 + normalisation + hidden + 1;
        return (Gan.averageDecay(metadata) > 0 ? 2 : 1) * generator + discriminator;
    }

    private static int pack(Map<String, String> metadata) {
        String pack = metadata.get("pack");
        return pack == null ? 1 : Integer.parseInt(pack);
    }

    /**
     * The discriminator's normalisation a DCGAN's metadata names; batch norm when it names none.
     *
     * @param metadata the checkpoint's metadata
     * @return the normalisation
     * @throws IllegalArgumentException when it names an unknown one
     */
    public static Norm norm(Map<String, String> metadata) {
        String name = metadata.get(NORM_KEY);
        return name == null ? Norm.BATCH : Norm.named(name);
    }

    private static ConvTranspose2d upsample(int in, int out, Generator g) {
        return new ConvTranspose2d(in, out, Window.square(4, 1, 2), new int[] {0, 0}, true, Init.DCGAN_NORMAL,
                DType.FLOAT32, g);
    }

    private static Conv2d downsample(int in, int out, Generator g) {
        return new Conv2d(in, out, Window.square(4, 1, 2), 1, true, Init.DCGAN_NORMAL, DType.FLOAT32, g);
    }

    /** Batch norm with its weight drawn from N(1, 0.02), as DCGAN's weights_init. */
    private static Layer batchNorm(BatchNorm bn, Generator g) {
        Tensor w = bn.namedParameters().get("weight").value();
        w.copyFrom(Tensor.randn(g, DType.FLOAT32, w.shape().dims()).mul(0.02).add(1.0));
        return bn;
    }
}
