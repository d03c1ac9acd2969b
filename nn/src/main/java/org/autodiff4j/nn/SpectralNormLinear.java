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
        u = registerBuffer("u", SpectralNorm.start(out, g));
        v = registerBuffer("v", SpectralNorm.start(in, g));
    }

    @Override
    public Variable forward(Variable x) {
        return x.linear(SpectralNorm.normalized(weight, u, v, isTraining()), bias);
    }

    /**
     * The current estimate of the weight's largest singular value, {@code u^T W v}.
     *
     * @return the current estimate of the weight's largest singular value, {@code u^T W v}
     */
    public double sigma() {
        return SpectralNorm.sigma(weight.value(), u, v);
    }
}
