package org.autodiff4j.nn.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) with bias correction, as PyTorch's {@code torch.optim.Adam}:
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}, with optional L2 weight decay added
 * to the gradient.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, Tensor> m = new HashMap<>();
    private final Map<String, Tensor> v = new HashMap<>();
    private long steps;

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param params the parameters to update
     * @param learningRate the learning rate
     */
    public Adam(List<Variable> params, double learningRate) {
        this(byPosition(params), learningRate, 0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * Adam over a module's parameters with PyTorch's defaults, its state keyed by parameter name
     * ({@code exp_avg.encoder.0.weight}), as checkpoints expect.
     *
     * @param model the module whose parameters are updated
     * @param learningRate the learning rate
     */
    public Adam(org.autodiff4j.nn.Module model, double learningRate) {
        this(model.namedParameters(), learningRate, 0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * Adam over named parameters with every hyper-parameter given.
     *
     * @param params the parameters to update
     * @param learningRate the learning rate
     * @param beta1 the decay rate of the first-moment average
     * @param beta2 the decay rate of the second-moment average
     * @param eps the term added to the denominator for stability
     * @param weightDecay the L2 penalty coefficient (0 for none)
     */
    public Adam(Map<String, Variable> params, double learningRate, double beta1, double beta2, double eps,
                double weightDecay) {
        super(params, learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(eps > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("Adam: eps must be > 0 and weight decay >= 0, got " + eps + " and "
                    + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void update(String name, Tensor p, Tensor grad) {
        Tensor mt = m.computeIfAbsent(name, k -> Tensor.zeros(p.shape(), p.dtype()));
        Tensor vt = v.computeIfAbsent(name, k -> Tensor.zeros(p.shape(), p.dtype()));
        long t = steps + 1;
        double stepSize = learningRate() / (1 - Math.pow(beta1, t));
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
        p.mapi(new Step(beta1, beta2, stepSize, sqrtCorrection2, eps, weightDecay), mt, vt, grad);
    }

    /**
     * One fused Adam step in place over the parameter p (operands 0 and 1), m, v and g (operands 2 to 4), as
     * PyTorch's {@code _fused_adam_}:
     * {@code g' = g + wd p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
     * p -= stepSize m / (sqrt(v) / sqrtCorrection2 + eps)}, where {@code stepSize = lr / (1 - b1^t)} and
     * {@code sqrtCorrection2 = sqrt(1 - b2^t)} fold in the bias corrections.
     * NOTE: one pass over the four buffers: profiling had Adam's three separate passes at 72% of a VAE epoch.
     */
    private record Step(double beta1, double beta2, double stepSize, double sqrtCorrection2, double eps,
                        double weightDecay) implements Elementwise {
        @Override
        public void at(double[] x) {
            double g = x[4] + weightDecay * x[1];
            double m = beta1 * x[2] + (1 - beta1) * g;
            double v = beta2 * x[3] + (1 - beta2) * g * g;
            x[2] = m;
            x[3] = v;
            x[0] = x[1] - stepSize * m / (Math.sqrt(v) * (1 / sqrtCorrection2) + eps);
        }

        @Override
        public boolean f32(float[][] a, int from, int to) {
            float[] p = a[0]; // a[1] is the same array
            float[] ms = a[2];
            float[] vs = a[3];
            float[] gs = a[4];
            float b1 = (float) beta1;
            float b2 = (float) beta2;
            float c1 = (float) (1 - beta1);
            float c2 = (float) (1 - beta2);
            float wd = (float) weightDecay;
            float step = (float) stepSize;
            float inv = (float) (1 / sqrtCorrection2);
            float e = (float) eps;
            for (int i = from; i < to; i++) {
                float g = gs[i] + wd * p[i];
                float m = b1 * ms[i] + c1 * g;
                float v = b2 * vs[i] + c2 * g * g;
                ms[i] = m;
                vs[i] = v;
                p[i] -= step * m / ((float) Math.sqrt(v) * inv + e);
            }
            return true;
        }

        @Override
        public boolean vectorised() {
            return true;
        }
    }

    @Override
    protected void afterStep() {
        steps++;
    }

    /**
     * Steps taken so far.
     *
     * @return the number of steps taken so far
     */
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new HashMap<>();
        s.put("step", Tensor.scalar(steps, DType.FLOAT64));
        m.forEach((name, t) -> s.put("exp_avg." + name, t));
        v.forEach((name, t) -> s.put("exp_avg_sq." + name, t));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        double step = required(state, "step", null).item();
        if (!(step >= 0 && step == Math.rint(step))) {
            throw new IllegalArgumentException("Adam state: step must be a whole number >= 0, got " + step);
        }
        long loadedSteps = (long) step;
        Map<String, Tensor> newM = new HashMap<>();
        Map<String, Tensor> newV = new HashMap<>();
        params().forEach((name, p) -> {
            if (state.containsKey("exp_avg." + name) || loadedSteps > 0) {
                newM.put(name, required(state, "exp_avg." + name, p).to(p.dtype()).copy());
                Tensor sq = required(state, "exp_avg_sq." + name, p).to(p.dtype()).copy();
                for (int i = 0; i < sq.size(); i++) {
                    if (!(sq.getFlat(i) >= 0)) {
                        throw new IllegalArgumentException("Adam state: exp_avg_sq." + name + " holds " + sq.getFlat(i)
                                + " at element " + i + "; second moments are never negative");
                    }
                }
                newV.put(name, sq);
            }
        });
        m.clear();
        v.clear();
        m.putAll(newM);
        v.putAll(newV);
        steps = loadedSteps;
    }
}
