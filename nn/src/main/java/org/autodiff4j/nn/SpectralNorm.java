package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Spectral normalisation's power iteration (Miyato et al. 2018; PyTorch's {@code spectral_norm}) for a weight seen
 * as an [out, in] matrix (a convolution's [out, in kh kw]): unit vectors {@code u} [out] and {@code v} [in] that a
 * layer registers as buffers, one step per forward in training, and {@code W / sigma} with
 * {@code sigma = u^T W v}, the gradient flowing through sigma as well as W.
 */
final class SpectralNorm {
    private static final double EPS = 1e-12;

    private SpectralNorm() {
    }

    /** A random unit vector of length n, a power-iteration start. */
    static Tensor start(int n, Generator g) {
        return unit(Tensor.randn(g, DType.FLOAT32, n));
    }

    /**
     * {@code weight / sigma}; in training, one step of power iteration first updates u and v in place.
     *
     * @param weight the weight, of any shape whose first axis is out
     * @param u [out], updated in training
     * @param v [in], the product of the weight's other axes, updated in training
     * @param training whether to take a power-iteration step
     * @return the normalised weight, of the weight's shape
     */
    static Variable normalized(Variable weight, Tensor u, Tensor v, boolean training) {
        int out = u.size();
        int in = v.size();
        Variable matrix = weight.shape().rank() == 2 ? weight : weight.reshape(out, in);
        if (training) {
            // v = W^T u / |W^T u| ; u = W v / |W v|
            Tensor w = matrix.value();
            Tensor nv = unit(u.reshape(1, out).matMul(w).reshape(in));
            Tensor nu = unit(w.matMul(nv.reshape(in, 1)).reshape(out));
            v.copyFrom(nv);
            u.copyFrom(nu);
        }
        Variable sigma = Variable.constant(u.reshape(1, out)).matMul(matrix).matMul(Variable.constant(v.reshape(in, 1)));
        return weight.shape().rank() == 2 ? weight.div(sigma) : weight.div(sigma.reshape(1, 1, 1, 1));
    }

    /** {@code u^T W v}, the current estimate of the largest singular value. */
    static double sigma(Tensor weight, Tensor u, Tensor v) {
        return u.reshape(1, u.size()).matMul(weight.reshape(u.size(), v.size())).matMul(v.reshape(v.size(), 1)).item();
    }

    private static Tensor unit(Tensor t) {
        return t.mul(1.0 / (Math.sqrt(t.square().sum().item()) + EPS));
    }
}
