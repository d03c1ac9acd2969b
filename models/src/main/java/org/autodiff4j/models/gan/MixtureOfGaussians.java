package org.autodiff4j.models.gan;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A 2-D mixture of equally weighted isotropic Gaussians, the mode-collapse benchmark of the Unrolled
 * GAN, VEEGAN and PacGAN papers: {@link #ring()} (8 modes on a circle of radius 2, std 0.02) and
 * {@link #grid()} (25 modes at {-4, -2, 0, 2, 4}^2, std 0.05).
 */
public final class MixtureOfGaussians {
    private final double[][] centres;
    private final double std;

    /**
     * A mixture of the given centres ([k][2]) with a shared standard deviation.
     *
     * @param centres the component means, [k][2]
     * @param std the standard deviation of every component
     */
    public MixtureOfGaussians(double[][] centres, double std) {
        if (centres.length == 0 || !(std > 0)) {
            throw new IllegalArgumentException("mixture: needs centres and a positive std, got " + centres.length
                    + " centres, std " + std);
        }
        this.centres = centres.clone();
        this.std = std;
    }

    /**
     * 8 Gaussians evenly on a circle of radius 1, std 0.01 (the PacGAN and Unrolled-GAN ring).
     *
     * @return 8 Gaussians evenly on a circle of radius 1, std 0.01
     */
    public static MixtureOfGaussians ring() {
        double[][] c = new double[8][];
        for (int i = 0; i < 8; i++) {
            double a = 2 * Math.PI * i / 8;
            c[i] = new double[] {Math.cos(a), Math.sin(a)};
        }
        return new MixtureOfGaussians(c, 0.01);
    }

    /**
     * 25 Gaussians at {-4, -2, 0, 2, 4}^2, std 0.05.
     *
     * @return 25 Gaussians at {-4, -2, 0, 2, 4}^2, std 0.05
     */
    public static MixtureOfGaussians grid() {
        double[][] c = new double[25][];
        for (int i = 0; i < 25; i++) {
            c[i] = new double[] {-4 + 2 * (i / 5), -4 + 2 * (i % 5)};
        }
        return new MixtureOfGaussians(c, 0.05);
    }

    /**
     * The centres, [k][2].
     *
     * @return the centres, [k][2]
     */
    public double[][] centres() {
        return centres.clone();
    }

    /**
     * The shared standard deviation.
     *
     * @return the shared standard deviation
     */
    public double std() {
        return std;
    }

    /**
     * {@code n} float32 samples, [n, 2].
     *
     * @param n the number of samples
     * @param g the generator to draw from
     * @return {@code n} float32 samples, [n, 2]
     */
    public Tensor sample(int n, Generator g) {
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double[] c = centres[g.nextInt(centres.length)];
            v[2 * i] = (float) (c[0] + std * g.nextGaussian());
            v[2 * i + 1] = (float) (c[1] + std * g.nextGaussian());
        }
        return Tensor.of(v, n, 2);
    }

    /**
     * How well samples cover the mixture.
     *
     * @param modesCovered     modes with at least one sample within 3 std of their centre (and nearest to it)
     * @param modes            number of modes
     * @param highQuality      fraction of samples within 3 std of their nearest centre
     * @param samplesPerMode   samples counted for each mode
     * @param reverseKl        KL(q || p) of the histogram q of every sample's nearest mode against the mixture's
     *                         uniform weights p (PacGAN's reverse KL; 0 when the samples spread evenly, log(modes)
     *                         when they all fall to one mode)
     */
    public record Coverage(int modesCovered, int modes, double highQuality, int[] samplesPerMode, double reverseKl) {
    }

    /**
     * The coverage of [n, 2] samples.
     *
     * @param samples points [n, 2]
     * @return modes hit and the share of high-quality samples
     */
    public Coverage coverage(Tensor samples) {
        double[] v = samples.to(DType.FLOAT64).toDoubleArray();
        int n = v.length / 2;
        int[] perMode = new int[centres.length];
        int[] nearestCount = new int[centres.length];
        int good = 0;
        for (int i = 0; i < n; i++) {
            int nearest = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centres.length; c++) {
                double dx = v[2 * i] - centres[c][0];
                double dy = v[2 * i + 1] - centres[c][1];
                double d = dx * dx + dy * dy;
                if (d < best) {
                    best = d;
                    nearest = c;
                }
            }
            nearestCount[nearest]++;
            if (Math.sqrt(best) <= 3 * std) {
                perMode[nearest]++;
                good++;
            }
        }
        double reverseKl = 0;
        for (int count : nearestCount) {
            if (count > 0) {
                double q = (double) count / n;
                reverseKl += q * Math.log(q * centres.length);
            }
        }
        int covered = 0;
        for (int c : perMode) {
            covered += c > 0 ? 1 : 0;
        }
        return new Coverage(covered, centres.length, n == 0 ? 0 : (double) good / n, perMode,
                n == 0 ? Double.NaN : reverseKl);
    }
}
