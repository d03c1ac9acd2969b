package org.autodiff4j.models.eval;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.SymmetricEigen;
import org.autodiff4j.tensor.Tensor;

/**
 * The Fréchet distance between two Gaussians (Dowson and Landau 1982), as the FID of Heusel et al. (2017) uses it
 * on a classifier's features: d^2 = |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)). The trace of the square root is
 * computed stably as tr((S1^(1/2) S2 S1^(1/2))^(1/2)), the square roots of two symmetric positive semi-definite
 * matrices by eigendecomposition ({@link SymmetricEigen}), so no complex parts or negative rounding appear.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /**
     * The mean and covariance of a set of feature vectors.
     *
     * @param mean       mu, [d] float64
     * @param covariance S, [d, d] float64, the unbiased sample covariance
     */
    public record Gaussian(Tensor mean, Tensor covariance) {
        /**
         * The Gaussian fitted to the rows of {@code features}.
         *
         * @param features [n, d] with n at least 2
         * @return mean and unbiased covariance
         * @throws IllegalArgumentException naming the shape when there are fewer than 2 rows
         */
        public static Gaussian of(Tensor features) {
            if (features.shape().rank() != 2 || features.shape().dim(0) < 2) {
                throw new IllegalArgumentException("FrechetDistance: needs [n, d] features with n >= 2, got "
                        + features.shape());
            }
            Tensor x = features.to(DType.FLOAT64);
            int n = x.shape().dim(0);
            Tensor mean = x.mean(0, false);
            Tensor centred = x.sub(mean);
            Tensor cov = centred.transpose(0, 1).matMul(centred).div(n - 1.0);
            return new Gaussian(mean, cov.add(cov.transpose(0, 1)).mul(0.5));
        }
    }

    /**
     * d^2 between two Gaussians of the same dimension.
     *
     * @param a the first
     * @param b the second
     * @return the squared Fréchet distance, at least 0
     * @throws IllegalArgumentException naming both shapes when the dimensions differ
     */
    public static double between(Gaussian a, Gaussian b) {
        if (!a.mean().shape().equals(b.mean().shape())) {
            throw new IllegalArgumentException("FrechetDistance: features of " + a.mean().shape() + " and "
                    + b.mean().shape() + " differ in size");
        }
        double meanTerm = a.mean().sub(b.mean()).square().sum().item();
        Tensor rootA = SymmetricEigen.of(a.covariance()).sqrt();
        Tensor middle = rootA.matMul(b.covariance()).matMul(rootA);
        Tensor eig = SymmetricEigen.of(middle.add(middle.transpose(0, 1)).mul(0.5)).values();
        double traceRoot = 0;
        for (double w : eig.toDoubleArray()) {
            traceRoot += Math.sqrt(Math.max(w, 0));
        }
        double trace = trace(a.covariance()) + trace(b.covariance()) - 2 * traceRoot;
        return Math.max(0, meanTerm + trace);
    }

    /**
     * d^2 between the Gaussians fitted to two sets of features.
     *
     * @param a [n, d] features
     * @param b [m, d] features
     * @return the squared Fréchet distance
     */
    public static double between(Tensor a, Tensor b) {
        return between(Gaussian.of(a), Gaussian.of(b));
    }

    private static double trace(Tensor m) {
        int n = m.shape().dim(0);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += m.get(i, i);
        }
        return s;
    }
}
