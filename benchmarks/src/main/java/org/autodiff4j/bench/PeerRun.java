package org.autodiff4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The work the side-by-side script times, written like benchmarks/pytorch/peer.py does it in PyTorch:
 * {@code vae DATA_DIR EPOCHS} trains the default VAE (784-500-20, batch 128, Adam 1e-3) on binarized
 * MNIST and prints {@code epoch N S} per epoch; {@code gan DATA_DIR STEPS} runs rounds of the default
 * GAN (batch 64) and prints {@code steps N S} every 100 steps. No validation, no files.
 */
public final class PeerRun {
    private PeerRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !List.of("vae", "gan").contains(args[0])) {
            System.err.println("usage: PeerRun vae|gan DATA_DIR EPOCHS|STEPS");
            System.exit(2);
        }
        System.out.println("blas " + Blas.describe());
        Tensor train = Datasets.standard(Path.of(args[1])).load("binarized-mnist", "train").images();
        int count = Integer.parseInt(args[2]);
        Generator g = new Generator(0);
        if (args[0].equals("vae")) {
            Vae vae = new Vae(VaeConfig.defaults(), g);
            Adam adam = new Adam(vae.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.0);
            for (int epoch = 1; epoch <= count; epoch++) {
                long t = System.nanoTime();
                for (Batch b : new DataLoader(TensorDataset.of(train), 128, true, false).epoch(g)) {
                    adam.zeroGrad();
                    vae.loss(b.x(), g).loss().backward();
                    adam.step();
                }
                System.out.printf(Locale.ROOT, "epoch %d %.3f%n", epoch, (System.nanoTime() - t) / 1e9);
            }
        } else {
            Gan gan = Gan.mlp(GanConfig.mnist(), g);
            GanTrainer trainer = new GanTrainer(gan, 2e-4, 0.5,
                    new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 0.9, 1.0, 0), g);
            Tensor images = train.mul(2.0).add(-1.0);
            int step = 0;
            long t = System.nanoTime();
            while (step < count) {
                for (Batch b : new DataLoader(TensorDataset.of(images), 64, true, true).epoch(g)) {
                    trainer.step(List.of(b.x()));
                    if (++step % 100 == 0) {
                        System.out.printf(Locale.ROOT, "steps %d %.3f%n", step, (System.nanoTime() - t) / 1e9);
                    }
                    if (step == count) {
                        break;
                    }
                }
            }
        }
    }
}
