package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.nn.Module;
import org.autodiff4j.runs.CheckpointEvaluation;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Draws images from a trained VAE or GAN checkpoint into a PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a VAE or GAN checkpoint into a PNG grid.")
final class Sample implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "vae.safetensors, gan.safetensors or checkpoint.safetensors of a run")
    Path checkpoint;

    @Option(names = "--count", description = "images to draw (default: ${DEFAULT-VALUE})")
    int count = 64;

    @Option(names = "--columns", description = "images per row of the grid (default: ${DEFAULT-VALUE})")
    int columns = 8;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--binary", description = "VAE only: draw Bernoulli pixels instead of showing their means")
    boolean binary;

    @Option(names = "--output", paramLabel = "FILE", description = "the PNG to write (default: samples-SEED.png beside the checkpoint)")
    Path output;

    private final PrintStream log;

    Sample(PrintStream log) {
        this.log = log;
    }

    @Override
    public Integer call() throws IOException {
        if (count < 1 || count > 10_000 || columns < 1) {
            throw new IllegalArgumentException("--count must be in [1, 10000] and --columns at least 1, got " + count
                    + " and " + columns);
        }
        Flags.notTheInput("--output", output, checkpoint);
        Module model = CheckpointEvaluation.read(checkpoint);
        Generator g = new Generator(seed);
        Tensor images = model instanceof Vae vae ? vae.sample(count, g, binary)
                : ((Gan) model).draw(count, g).add(1.0).mul(0.5).clamp(0, 1);
        int[] size = CheckpointEvaluation.imageSize(checkpoint, images);
        images = images.reshape(count, size[0] * size[1]);
        int bad = images.firstNonFinite();
        if (bad >= 0) {
            throw new IOException(checkpoint + ": the model's samples hold " + images.getFlat(bad) + " at element " + bad
                    + " (damaged or diverged weights)");
        }
        Path target = output != null ? output : checkpoint.toAbsolutePath().resolveSibling("samples-" + seed + ".png");
        Path parent = target.toAbsolutePath().getParent();
        org.autodiff4j.runs.RunFolder out = new org.autodiff4j.runs.RunFolder(parent);
        out.imageGrid(target.getFileName().toString(), images, size[0], size[1], columns, 2);
        log.println("wrote " + count + " samples of the " + (model instanceof Vae ? "VAE" : "GAN") + " to " + target);
        return 0;
    }
}
