package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A linear layer with a spectrally normalised weight (Miyato et al., "Spectral Normalization for Generative
 * Adversarial Networks", ICLR 2018; PyTorch's {@code spectral_norm}): {@code y = x (W / sigma)^T + b} where
 * {@code sigma = u^T W v} estimates W's largest singular value, refined by one step of power iteration per
 * forward in training mode. The gradient flows through {@code sigma} as well as W. Float32.
 */
public final class SpectralNormLinear extends Layer {
    private static final double EPS = 1e-12;

    private final Variable weight;
    private final Variable bias;
    private final Tensor u;
    private final Tensor v;

    /**
     * An [out, in] layer with PyTorch's default initialisation and random unit power-iteration vectors.
     *
     * @param in the input features
     * @param out the output features
     * @param g the generator to draw from
     */
    public SpectralNormLinear(int in, int out, Generator g) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("SpectralNormLinear: sizes must be positive, got in=" + in + ", out=" + out);
        }
        weight = registerParameter("weight", Init.PYTORCH_DEFAULT.weight(out, in, DType.FLOAT32, g));
        bias = registerParameter("bias", Init.PYTORCH_DEFAULT.bias(out, in, DType.FLOAT32, g));
        // u and v are buffers: checkpoints keep them (a resumed run continues the same iteration), optimisers never see them
        u = registerBuffer("u", unit(Tensor.randn(g, DType.FLOAT32, out)));
        v = registerBuffer("v", unit(Tensor.randn(g, DType.FLOAT32, in)));
    }

    @Override
    public Variable forward(Variable x) {
        int out = weight.shape().dim(0);
        int in = weight.shape().dim(1);
        Tensor w = weight.value();
        if (isTraining()) {
            // v = W^T u / |W^T u| ; u = W v / |W v|
            Tensor nv = unit(u.reshape(1, out).matMul(w).reshape(in));
            Tensor nu = unit(w.matMul(nv.reshape(in, 1)).reshape(out));
            v.copyFrom(nv);
            u.copyFrom(nu);
        }
        Variable sigma = Variable.constant(u.reshape(1, out)).matMul(weight)
                .matMul(Variable.constant(v.reshape(in, 1)));
        return x.linear(weight.div(sigma), bias);
    }

    /**
     * The current estimate of the weight's largest singular value, {@code u^T W v}.
     *
     * @return the current estimate of the weight's largest singular value, {@code u^T W v}
     */
    public double sigma() {
        int out = weight.shape().dim(0);
        int in = weight.shape().dim(1);
        return u.reshape(1, out).matMul(weight.value()).matMul(v.reshape(in, 1)).item();
    }

    private static Tensor unit(Tensor t) {
        return t.mul(1.0 / (Math.sqrt(t.square().sum().item()) + EPS));
    }
}
