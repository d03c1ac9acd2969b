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
        @Override
        public Variable forward(Variable x) {
            return x.relu();
        }
    }

    /** x for x >= 0, slope * x below. */
    public static final class LeakyRelu extends Layer {
        private final double slope;

        /**
         * A leaky ReLU with the given negative slope (PyTorch's default is 0.01; GANs use 0.2).
         *
         * @param slope the slope for negative inputs
         */
        public LeakyRelu(double slope) {
            this.slope = slope;
        }

        @Override
        public Variable forward(Variable x) {
            return x.leakyRelu(slope);
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
