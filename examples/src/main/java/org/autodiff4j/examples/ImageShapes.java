package org.autodiff4j.examples;

import java.nio.file.Path;

import org.autodiff4j.tensor.Tensor;

/** The image size of a model's samples: [n, 1, H, W] images, or [n, H * W] rows of square images. */
final class ImageShapes {
    private ImageShapes() {
    }

    /**
     * (H, W) of the samples.
     *
     * @throws IllegalArgumentException naming the checkpoint when the samples are not grayscale images
     */
    static int[] heightWidth(Tensor samples, Path checkpoint) {
        int[] d = samples.shape().dims();
        if (d.length == 4 && d[1] == 1) {
            return new int[] {d[2], d[3]};
        }
        if (d.length == 2) {
            int side = (int) Math.round(Math.sqrt(d[1]));
            if (side * side == d[1]) {
                return new int[] {side, side};
            }
        }
        throw new IllegalArgumentException(checkpoint + ": the model makes samples of shape " + samples.shape()
                + ", neither [n, 1, H, W] images nor rows of square images");
    }
}
