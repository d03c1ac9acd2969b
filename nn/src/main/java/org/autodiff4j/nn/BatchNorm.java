package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * Batch normalisation over the channel axis 1, PyTorch's {@code nn.BatchNorm1d} ([N, C] input) and
 * {@code nn.BatchNorm2d} ([N, C, H, W]): parameters {@code weight} (ones) and {@code bias} (zeros) when affine, buffers
 * {@code running_mean} (zeros), {@code running_var} (ones) and {@code num_batches_tracked}, under PyTorch's names so
 * checkpoints carry over. Training mode normalises with the batch's statistics and updates the running ones;
 * evaluation mode uses the running ones. See {@link Functional#batchNorm}.
 */
public final class BatchNorm extends Layer {
    private final int rank;
    private final double momentum;
    private final double eps;
    private final Variable weight;
    private final Variable bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    private BatchNorm(int rank, int channels, double momentum, double eps, boolean affine, DType dtype) {
        if (channels < 1 || !(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm: channels " + channels + " must be positive, momentum "
                    + momentum + " in [0, 1], eps " + eps + " positive");
        }
        this.rank = rank;
        this.momentum = momentum;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(dtype, channels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(dtype, channels)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(dtype, channels));
        this.runningVar = registerBuffer("running_var", Tensor.ones(dtype, channels));
        // NOTE: PyTorch keeps num_batches_tracked as an int64 scalar; the library's tensors are float, so it is a
        // float64 scalar here (exact to 2^53 batches), which PyTorch's load_state_dict converts
        this.batchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0, DType.FLOAT64));
    }

    /**
     * PyTorch's {@code BatchNorm1d(channels)}: [N, C] input, momentum 0.1, eps 1e-5, affine, float32.
     *
     * @param channels C
     * @return the layer
     */
    public static BatchNorm of1d(int channels) {
        return new BatchNorm(2, channels, 0.1, 1e-5, true, DType.FLOAT32);
    }

    /**
     * PyTorch's {@code BatchNorm2d(channels)}: [N, C, H, W] input, momentum 0.1, eps 1e-5, affine, float32.
     *
     * @param channels C
     * @return the layer
     */
    public static BatchNorm of2d(int channels) {
        return new BatchNorm(4, channels, 0.1, 1e-5, true, DType.FLOAT32);
    }

    /**
     * A batch norm layer with every option.
     *
     * @param rank 2 for [N, C] input (1d), 4 for [N, C, H, W] (2d)
     * @param channels C
     * @param momentum the running statistics' update factor
     * @param eps added to the variance
     * @param affine whether the layer has a weight and a bias
     * @param dtype the element type
     * @return the layer
     */
    public static BatchNorm of(int rank, int channels, double momentum, double eps, boolean affine, DType dtype) {
        if (rank != 2 && rank != 4) {
            throw new IllegalArgumentException("BatchNorm: rank " + rank + " must be 2 (1d) or 4 (2d)");
        }
        return new BatchNorm(rank, channels, momentum, eps, affine, dtype);
    }

    @Override
    public Variable forward(Variable x) {
        Shape s = x.shape();
        if (s.rank() != rank) {
            throw new ShapeException("BatchNorm" + (rank == 2 ? "1d" : "2d") + ": input " + s + " must have rank " + rank);
        }
        if (isTraining()) {
            batchesTracked.copyFrom(batchesTracked.add(1.0));
        }
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }

    /**
     * The running mean [C].
     *
     * @return the running mean
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /**
     * The running variance [C].
     *
     * @return the running variance
     */
    public Tensor runningVar() {
        return runningVar;
    }
}
