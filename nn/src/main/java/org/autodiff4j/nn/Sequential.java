package org.autodiff4j.nn;

import java.util.List;

import org.autodiff4j.autograd.Variable;

/** Layers applied in order; they are named {@code 0}, {@code 1}, ... as in PyTorch. */
public final class Sequential extends Layer {
    private final List<Layer> layers;

    /**
     * A chain of the given layers.
     *
     * @param layers the layers, applied in order; named "0", "1", ...
     */
    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            registerModule(Integer.toString(i), layers[i]);
        }
    }

    /**
     * A chain of the given layers.
     *
     * @param layers the layers, applied in order; named "0", "1", ...
     */
    public Sequential(List<? extends Layer> layers) {
        this(layers.toArray(new Layer[0]));
    }

    @Override
    public Variable forward(Variable x) {
        Variable h = x;
        for (Layer layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }

    /**
     * The layers in order.
     *
     * @return the layers in order
     */
    public List<Layer> layers() {
        return layers;
    }
}
