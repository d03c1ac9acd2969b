package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.Window;

/** The pooling and resampling layers of [N, C, H, W] images; none has parameters. */
public final class Pooling {
    private Pooling() {
    }

    /** PyTorch's {@code nn.MaxPool2d}: the maximum of each window of each channel. */
    public static final class MaxPool2d extends Layer {
        private final Window window;

        /**
         * Square windows of {@code kernel} with the given stride, no padding.
         *
         * @param kernel the window size
         * @param stride the stride (PyTorch's default is the kernel size)
         */
        public MaxPool2d(int kernel, int stride) {
            this(Window.square(kernel, 0, stride));
        }

        /**
         * Any window; padding (at most half the kernel) counts as minus infinity.
         *
         * @param window kernel, dilation, padding and stride
         */
        public MaxPool2d(Window window) {
            this.window = window;
        }

        @Override
        public Variable forward(Variable x) {
            return Functional.maxPool2d(x, window);
        }
    }

    /** PyTorch's {@code nn.AvgPool2d}: the mean of each window of each channel, zero padding counted. */
    public static final class AvgPool2d extends Layer {
        private final Window window;

        /**
         * Square windows of {@code kernel} with the given stride, no padding.
         *
         * @param kernel the window size
         * @param stride the stride
         */
        public AvgPool2d(int kernel, int stride) {
            this(Window.square(kernel, 0, stride));
        }

        /**
         * Any window.
         *
         * @param window kernel, dilation, padding and stride
         */
        public AvgPool2d(Window window) {
            this.window = window;
        }

        @Override
        public Variable forward(Variable x) {
            return Functional.avgPool2d(x, window);
        }
    }

    /** PyTorch's {@code nn.Upsample(scale_factor=s, mode="nearest")} for integer factors. */
    public static final class Upsample extends Layer {
        private final int factor;

        /**
         * Each pixel repeated {@code factor} times down and across.
         *
         * @param factor the scale factor, at least 1
         */
        public Upsample(int factor) {
            if (factor < 1) {
                throw new IllegalArgumentException("Upsample: factor " + factor + " must be at least 1");
            }
            this.factor = factor;
        }

        @Override
        public Variable forward(Variable x) {
            return Functional.upsampleNearest(x, factor, factor);
        }
    }

    /** PyTorch's {@code nn.Flatten()}: [N, ...] to [N, product of the rest]. */
    public static final class Flatten extends Layer {
        @Override
        public Variable forward(Variable x) {
            int n = x.shape().dim(0);
            return x.reshape(n, n == 0 ? 0 : x.shape().size() / n);
        }
    }

    /** PyTorch's {@code nn.Unflatten(1, dims)}: [N, d] to [N, dims...]. */
    public static final class Unflatten extends Layer {
        private final int[] dims;

        /**
         * The shape each row becomes.
         *
         * @param dims the per-example shape, e.g. {@code 128, 7, 7}
         */
        public Unflatten(int... dims) {
            this.dims = dims.clone();
        }

        @Override
        public Variable forward(Variable x) {
            int[] all = new int[dims.length + 1];
            all[0] = x.shape().dim(0);
            System.arraycopy(dims, 0, all, 1, dims.length);
            return x.reshape(all);
        }
    }
}
