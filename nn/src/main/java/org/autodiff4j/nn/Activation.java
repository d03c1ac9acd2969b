package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;

/** Parameter-free elementwise layers. */
public final class Activation {
    private Activation() {
    }

    /** Hyperbolic tangent. */
    public static final class Tanh extends Layer {
        @Override
        public Variable forward(Variable x) {
            return x.tanh();
        }
    }

    /** Logistic sigmoid. */
    public static final class Sigmoid extends Layer {
        @Override
        public Variable forward(Variable x) {
            return x.sigmoid();
        }
    }

    /** max(x, 0). */
    public static final class Relu extends Layer {
        private final boolean inPlace;

        /** max(x, 0) into a new array. */
        public Relu() {
            this(false);
        }

        /**
         * max(x, 0), written over its input when {@code inPlace} (PyTorch's {@code ReLU(inplace=True)}): no new array
         * per call, for an input nothing else reads afterwards, such as a convolution's, a linear layer's or a
         * normalisation's output. Autograd throws at backward if the op that made the input needed it unchanged.
         *
         * @param inPlace whether to overwrite the input
         */
        public Relu(boolean inPlace) {
            this.inPlace = inPlace;
        }

        @Override
        public Variable forward(Variable x) {
            return inPlace ? org.autodiff4j.autograd.ops.Relu.applyInPlace(x) : x.relu();
        }
    }

    /** x for x >= 0, slope * x below. */
    public static final class LeakyRelu extends Layer {
        private final double slope;
        private final boolean inPlace;

        /**
         * A leaky ReLU with the given negative slope (PyTorch's default is 0.01; GANs use 0.2).
         *
         * @param slope the slope for negative inputs
         */
        public LeakyRelu(double slope) {
            this(slope, false);
        }

        /**
         * A leaky ReLU written over its input when {@code inPlace} (PyTorch's {@code LeakyReLU(slope, inplace=True)}),
         * as {@link Relu#Relu(boolean)}.
         *
         * @param slope the slope for negative inputs, at least 0 in place
         * @param inPlace whether to overwrite the input
         * @throws IllegalArgumentException when in place with a negative slope
         */
        public LeakyRelu(double slope, boolean inPlace) {
            if (inPlace && !(slope >= 0)) {
                throw new IllegalArgumentException("LeakyRelu: slope " + slope + " must be at least 0 in place");
            }
            this.slope = slope;
            this.inPlace = inPlace;
        }

        @Override
        public Variable forward(Variable x) {
            return inPlace ? org.autodiff4j.autograd.ops.LeakyRelu.applyInPlace(x, slope) : x.leakyRelu(slope);
        }
    }

    /**
     * The activation called {@code name}: tanh, sigmoid, relu, or leakyrelu (slope 0.2).
     *
     * @param name tanh, sigmoid, relu or leakyrelu
     * @return the activation called {@code name}
     */
    public static Layer named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            case "relu" -> new Relu();
            case "leakyrelu", "leaky_relu" -> new LeakyRelu(0.2);
            default -> throw new IllegalArgumentException("activation: unknown name '" + name
                    + "' (allowed: tanh, sigmoid, relu, leakyrelu)");
        };
    }
}
