package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.models.vae.VaeEvaluation;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/** What the VAE experiment draws and prints: epoch lines, curves, sample grids, reconstructions, the IWAE estimate. */
final class VaePictures {
    private VaePictures() {
    }

    /** The epoch line train-vae prints. */
    static String epochLine(EpochRecord r, int objectiveSamples) {
        String objective = objectiveSamples > 1 ? "-IWAE(k=" + objectiveSamples + ")" : "-ELBO";
        return String.format(Locale.ROOT, "epoch %3d  train %s %.2f (rec %.2f, KL %.2f)  valid -ELBO %.2f  lr %.2g  %.1f s",
                r.epoch(), objective, r.get("train.loss"), r.get("train.reconstruction"), r.get("train.kl"), r.get("valid.loss"),
                r.get("lr"), r.seconds());
    }

    /** The epoch with the lowest validation loss. */
    static EpochRecord best(List<EpochRecord> history) {
        EpochRecord best = history.get(0);
        for (EpochRecord r : history) {
            if (r.get("valid.loss") < best.get("valid.loss")) {
                best = r;
            }
        }
        return best;
    }

    static void writeCurves(RunFolder out, List<EpochRecord> history) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,train_neg_elbo,train_reconstruction,train_kl,"
                + "valid_neg_elbo,valid_reconstruction,valid_kl,learning_rate,seconds\n");
        double[] x = new double[history.size()];
        double[] train = new double[history.size()];
        double[] valid = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            EpochRecord r = history.get(i);
            csv.append(String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.6g,%.3f%n", r.epoch(),
                    r.get("train.loss"), r.get("train.reconstruction"), r.get("train.kl"), r.get("valid.loss"),
                    r.get("valid.reconstruction"), r.get("valid.kl"), r.get("lr"), r.seconds()));
            x[i] = r.epoch();
            train[i] = r.get("train.loss");
            valid[i] = r.get("valid.loss");
        }
        out.writeText("metrics.csv", csv.toString());
        out.write("loss.png", Charts.line("VAE negative ELBO per epoch", "epoch", "negative ELBO (nats)", x,
                List.of("train", "validation"), List.of(train, valid)));
    }

    /** Reconstructions, drawn samples, interpolations and (2-D latent) the manifold, into the folder and the report. */
    static void writePictures(RunFolder out, Vae vae, Dataset test, Generator g, Report report) throws IOException {
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
        picture(out, report, "reconstructions.png", "Test images (odd rows) and their reconstructions (even rows)",
                ImageGrid.png(Tensor.concat(0, pairs), h, w, 8, 2));
        picture(out, report, "samples-drawn.png", "64 samples: z ~ N(0, I), then p(x|z)", ImageGrid.png(
                vae.sample(64, g, vae.likelihood() == VaeConfig.Likelihood.BERNOULLI), h, w, 8, 2));
        Tensor ends = test.images().indexRows(spaced(test.size(), 12));
        Tensor[] strips = new Tensor[6];
        for (int i = 0; i < strips.length; i++) {
            strips[i] = vae.interpolate(ends.sliceRows(i, i + 1), ends.sliceRows(11 - i, 12 - i), 10);
        }
        picture(out, report, "interpolations.png", "Decoded straight lines between the posterior means of test images",
                ImageGrid.png(Tensor.concat(0, strips), h, w, 10, 2));
        if (vae.latent() == 2) {
            picture(out, report, "manifold.png", "The 2-D latent manifold", ImageGrid.png(VaeEvaluation.manifold(vae, 20), h, w, 20, 1));
        }
    }

    private static void picture(RunFolder out, Report report, String file, String caption, byte[] png) throws IOException {
        out.write(file, png);
        report.picture(caption, png);
    }

    /**
     * Every image's importance-weighted log p(x), in blocks ({@link VaeEvaluation#logLikelihoodBlocks}), image {@code i}
     * drawing from {@code base.splitAt(i)}, with a progress bar on a terminal (a line after every 1000 images
     * otherwise): the same bits as the evaluation in shards.
     */
    static double[] logLikelihoods(Vae vae, Tensor images, int evaluationSamples, Generator base, PrintStream log) {
        int n = images.shape().dim(0);
        double[] out = new double[n];
        long start = System.nanoTime();
        me.tongfei.progressbar.ProgressBar bar = System.console() != null && n > 1000
                ? new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("IWAE k=" + evaluationSamples).setInitialMax(n)
                        .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                        .continuousUpdate().build() : null;
        int perStep = 1000 / VaeEvaluation.BLOCK;
        int blocks = (n + VaeEvaluation.BLOCK - 1) / VaeEvaluation.BLOCK;
        try {
            for (int from = 0; from < blocks; from += perStep) {
                int to = Math.min(blocks, from + perStep);
                double[] part = VaeEvaluation.logLikelihoodBlocks(vae, images, evaluationSamples, base, from, to);
                System.arraycopy(part, 0, out, from * VaeEvaluation.BLOCK, part.length);
                int done = Math.min(n, to * VaeEvaluation.BLOCK);
                if (bar != null) {
                    bar.stepTo(done);
                } else if (n > 1000) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    log.printf("  %d/%d images, %.0f s, about %.0f s to go%n", done, n, seconds, seconds * (n - done) / done);
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return out;
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
