package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.models.vae.VaeTrainer;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/** What train-vae shows and draws: the progress bar, curves, sample grids, reconstructions, the IWAE estimate. */
final class VaeFigures {
    private VaeFigures() {
    }

    /** Progress bar per epoch, and sample grids at the first, middle and last epoch. */
    static final class Progress implements VaeTrainer.Listener, AutoCloseable {
        private final Vae vae;
        private final Outputs out;
        private final Tensor fixedZ;
        private final int height;
        private final int width;
        private final int epochs;
        private final boolean interactive = System.console() != null;
        private ProgressBar bar;

        private final PrintStream log;

        Progress(PrintStream log, Vae vae, Outputs out, Tensor fixedZ, int height, int width, int epochs) {
            this.log = log;
            this.vae = vae;
            this.out = out;
            this.fixedZ = fixedZ;
            this.height = height;
            this.width = width;
            this.epochs = epochs;
        }

        @Override
        public void batchDone(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
            if (bar == null && interactive) {
                bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs))
                        .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                        .continuousUpdate().build();
            }
            if (bar != null) {
                bar.stepTo(batch);
                bar.setExtraMessage(String.format("loss %.2f, %.0f img/s", loss, imagesPerSecond));
            }
        }

        @Override
        public void epochDone(VaeTrainer.EpochResult r) {
            close();
            log.printf("epoch %3d  train -ELBO %.2f (rec %.2f, KL %.2f)  valid -ELBO %.2f  lr %.2g  %.1f s%n",
                    r.epoch(), r.train().loss(), r.train().reconstruction(), r.train().kl(), r.valid().loss(),
                    r.learningRate(), r.seconds());
            int e = r.epoch();
            if (e == 1 || e == (epochs + 1) / 2 || e == epochs) {
                try {
                    out.imageGrid(String.format("samples-epoch-%03d.png", e), vae.decodeMean(fixedZ), height, width, 8, 2);
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    static void writeCurves(Outputs out, List<VaeTrainer.EpochResult> history) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,train_neg_elbo,train_reconstruction,train_kl,"
                + "valid_neg_elbo,valid_reconstruction,valid_kl,learning_rate,seconds\n");
        double[] x = new double[history.size()];
        double[] train = new double[history.size()];
        double[] valid = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            VaeTrainer.EpochResult r = history.get(i);
            csv.append(String.format(java.util.Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.6g,%.3f%n", r.epoch(),
                    r.train().loss(), r.train().reconstruction(), r.train().kl(), r.valid().loss(),
                    r.valid().reconstruction(), r.valid().kl(), r.learningRate(), r.seconds()));
            x[i] = r.epoch();
            train[i] = r.train().loss();
            valid[i] = r.valid().loss();
        }
        out.writeText("metrics.csv", csv.toString());
        out.lineChart("loss.png", "VAE negative ELBO per epoch", "epoch", "negative ELBO (nats)", x,
                List.of("train", "validation"), List.of(train, valid));
    }

    static void writePictures(Outputs out, Vae vae, Dataset test, Generator g) throws IOException {
        int h = test.height();
        int w = test.width();
        // the test sets are ordered by class: take evenly spaced images
        Tensor originals = test.images().indexRows(spaced(test.size(), 32));
        Tensor recon = vae.reconstruct(originals);
        Tensor[] pairs = new Tensor[8];
        for (int r = 0; r < 4; r++) {
            pairs[2 * r] = originals.sliceRows(8 * r, 8 * r + 8);
            pairs[2 * r + 1] = recon.sliceRows(8 * r, 8 * r + 8);
        }
        out.imageGrid("reconstructions.png", Tensor.concat(0, pairs), h, w, 8, 2);
        out.imageGrid("samples-drawn.png", vae.sample(64, g, vae.config().likelihood() == VaeConfig.Likelihood.BERNOULLI), h, w, 8, 2);
        Tensor ends = test.images().indexRows(spaced(test.size(), 12));
        Tensor[] strips = new Tensor[6];
        for (int i = 0; i < strips.length; i++) {
            strips[i] = vae.interpolate(ends.sliceRows(i, i + 1), ends.sliceRows(11 - i, 12 - i), 10);
        }
        out.imageGrid("interpolations.png", Tensor.concat(0, strips), h, w, 10, 2);
        if (vae.config().latent() == 2) {
            out.imageGrid("manifold.png", vae.manifold(20), h, w, 20, 1);
        }
    }

    /**
     * The mean importance-weighted NLL, 1000 images at a time with a progress line after each slice. The
     * per-image generators are split from {@code g} in image order, as in one call; the result differs from
     * one call only by the rounding of the encoder's smaller matrix products (measured: 1e-9 nats).
     */
    static double importanceWeightedNll(Vae vae, Tensor images, int iwSamples, Generator g, PrintStream log) {
        int n = images.shape().dim(0);
        double sum = 0;
        long start = System.nanoTime();
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            for (double ll : vae.logLikelihood(images.sliceRows(from, to), iwSamples, g, Math.min(iwSamples, 1000))) {
                sum += ll;
            }
            if (n > 1000) {
                double seconds = (System.nanoTime() - start) / 1e9;
                log.printf("  %d/%d images, %.0f s, about %.0f s to go%n", to, n, seconds, seconds * (n - to) / to);
            }
        }
        return -sum / n;
    }

    /** {@code k} indices spread evenly over {@code 0..n-1}. */
    private static int[] spaced(int n, int k) {
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) ((long) i * n / k);
        }
        return idx;
    }
}
