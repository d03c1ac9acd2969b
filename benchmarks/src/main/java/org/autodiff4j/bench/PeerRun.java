package org.autodiff4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Dcgan;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.vae.ConvVae;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The work the side-by-side script times, written like benchmarks/pytorch/peer.py does it in PyTorch:
 * {@code vae DATA_DIR EPOCHS} trains the default VAE (784-500-20, batch 128, Adam 1e-3) on binarized
 * MNIST and prints {@code epoch N S} per epoch; {@code gan DATA_DIR STEPS} runs rounds of the default
 * GAN (batch 64) and prints {@code steps N S} every 100 steps; {@code conv-vae} and {@code dcgan} do the same for
 * {@link ConvVae} (latent 20) and {@link Dcgan}; {@code wgan-gp DATA_DIR STEPS} runs generator steps of the DCGAN as
 * WGAN-GP with a layer-norm critic (k 5, lambda 10, Adam 1e-4 with betas 0.5 and 0.9), each after 5 critic steps on
 * the next 5 batches, and prints {@code steps N S} every 20. No validation, no files. {@code gemm M,N,K[;M,N,K...]} prints the
 * best float32 rate of each product shape, {@code gemm M N K GFLOPS} (warmed up, best of 5 timings of about 0.2 s):
 * the side-by-side script's floor at each model's own shapes.
 */
public final class PeerRun {
    private PeerRun() {
    }

    /** GFLOPS of [m, k] x [k, n] in float32: warmed up, then the best of 5 timings of about 0.2 s each. */
    private static double gemmRate(int m, int n, int k) {
        Generator g = new Generator(1);
        Tensor a = Tensor.randn(g, DType.FLOAT32, m, k);
        Tensor b = Tensor.randn(g, DType.FLOAT32, k, n);
        double flop = 2.0 * m * n * k;
        int reps = (int) Math.max(1, Math.min(100_000, 0.2 / (flop / 50e9)));
        double best = 0;
        for (int round = 0; round < 8; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matMul(b);
            }
            double rate = flop * reps / ((System.nanoTime() - t) / 1e9) / 1e9;
            if (round >= 3) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }

    /**
     * Runs one contender, as the class comment says.
     *
     * @param args the model, the data folder and the count, or gemm and its shapes
     * @throws IOException when the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("gemm")) {
            for (String shape : args[1].split(";")) {
                String[] mnk = shape.split(",");
                int m = Integer.parseInt(mnk[0]);
                int n = Integer.parseInt(mnk[1]);
                int k = Integer.parseInt(mnk[2]);
                System.out.printf(Locale.ROOT, "gemm %d %d %d %.2f%n", m, n, k, gemmRate(m, n, k));
            }
            return;
        }
        if (args.length != 3 || !List.of("vae", "gan", "conv-vae", "dcgan", "wgan-gp").contains(args[0])) {
            System.err.println("usage: PeerRun vae|gan|conv-vae|dcgan|wgan-gp DATA_DIR EPOCHS|STEPS, or PeerRun gemm "
                    + "M,N,K[;M,N,K...]");
            System.exit(2);
        }
        System.out.println("blas " + Blas.describe());
        int count = Integer.parseInt(args[2]);
        Generator g = new Generator(0);
        if (args[0].equals("vae") || args[0].equals("conv-vae")) {
            Vae vae = args[0].equals("vae") ? new Vae(VaeConfig.defaults(), g)
                    : ConvVae.of(20, 1, 28, VaeConfig.Likelihood.BERNOULLI, g);
            Adam adam = new Adam(vae.namedParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.0);
            Tensor train = trainSplit(args[1]).images();
            for (int epoch = 1; epoch <= count; epoch++) {
                long t = System.nanoTime();
                for (Batch b : new DataLoader(TensorDataset.of(train), 128, true, false).epoch(g)) {
                    adam.zeroGrad();
                    vae.loss(b.x(), g).loss().backward();
                    adam.step();
                }
                System.out.printf(Locale.ROOT, "epoch %d %.3f%n", epoch, (System.nanoTime() - t) / 1e9);
            }
        } else if (args[0].equals("wgan-gp")) {
            wassersteinRounds(args[1], count, g);
        } else {
            boolean dcgan = args[0].equals("dcgan");
            Gan gan = dcgan ? Dcgan.of(100, 1, 28, g) : Gan.mlp(GanConfig.mnist(), g);
            GanTrainer trainer = new GanTrainer(gan, 2e-4, 0.5, dcgan
                    ? new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0)
                    : new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 0.9, 1.0, 0), g);
            Tensor images = trainSplit(args[1]).scaledImages(2, -1, dcgan); // as train-gan holds them: one array
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

    /** {@code steps} generator steps of the DCGAN as WGAN-GP with a layer-norm critic, as the class comment says. */
    private static void wassersteinRounds(String dataDir, int steps, Generator g) throws IOException {
        Gan gan = Dcgan.of(100, 1, 28, 1, 0.0, Dcgan.Norm.LAYER, g);
        GanTrainer trainer = new GanTrainer(gan, 1e-4, 0.5, 0.9,
                new GanTrainer.Options(5, Gan.GeneratorLoss.WASSERSTEIN, 1.0, 0.0, 0, 10.0, 0.0), g);
        Tensor images = trainSplit(dataDir).scaledImages(2, -1, true);
        int step = 0;
        long t = System.nanoTime();
        while (step < steps) {
            List<Batch> batches = new DataLoader(TensorDataset.of(images), 64, true, true).epoch(g);
            for (int i = 0; i + 5 <= batches.size() && step < steps; i += 5) {
                trainer.step(batches.subList(i, i + 5).stream().map(Batch::x).toList());
                if (++step % 20 == 0) {
                    System.out.printf(Locale.ROOT, "steps %d %.3f%n", step, (System.nanoTime() - t) / 1e9);
                }
            }
        }
    }

    private static Dataset trainSplit(String dataDir) throws java.io.IOException {
        return Datasets.standard(Path.of(dataDir)).load("binarized-mnist", "train");
    }
}
