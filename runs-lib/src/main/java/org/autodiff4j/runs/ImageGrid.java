package org.autodiff4j.runs;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.autodiff4j.tensor.Tensor;

/** Images tiled into one picture, like torchvision's {@code make_grid} and {@code save_image}. */
public final class ImageGrid {
    static {
        // PNGs are encoded in memory: ImageIO's default file cache registers a delete-on-exit file, which throws
        // "Shutdown in progress" when Ctrl-C arrives while an epoch's pictures are drawn
        javax.imageio.ImageIO.setUseCache(false);
    }

    private ImageGrid() {
    }

    /**
     * (H, W) of a model's samples: [n, 1, H, W] grayscale images, or [n, H W] rows of square images.
     *
     * @param samples the samples
     * @return {H, W}
     * @throws IllegalArgumentException naming the shape when the samples are neither
     */
    public static int[] heightWidth(Tensor samples) {
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
        throw new IllegalArgumentException("the model makes samples of shape " + samples.shape()
                + ", neither [n, 1, H, W] images nor rows of square images");
    }

    /**
     * Tiles [n, height * width] images with values in [0, 1] into a grid of {@code columns} columns with a
     * one-pixel gap, white on black as in the papers' figures, each pixel enlarged {@code scale} times.
     *
     * @param images  images as rows [n, height * width], values in [0, 1] (others are clamped)
     * @param height  pixel rows per image
     * @param width   pixel columns per image
     * @param columns images per row of the grid
     * @param scale   how many times each pixel is enlarged
     * @return the grid as PNG bytes
     * @throws IllegalArgumentException when the images are not [n, height * width] or a size is not positive
     */
    public static byte[] png(Tensor images, int height, int width, int columns, int scale) {
        if (images.rank() != 2 || images.shape().dim(1) != height * width || height < 1 || width < 1 || columns < 1
                || scale < 1) {
            throw new IllegalArgumentException("imageGrid: images " + images.shape() + " are not [n, " + height + " * "
                    + width + "], or columns " + columns + " / scale " + scale + " is not positive");
        }
        int n = images.shape().dim(0);
        int rows = Math.max(1, (n + columns - 1) / columns);
        int cellW = (width + 1) * scale;
        int cellH = (height + 1) * scale;
        BufferedImage img = new BufferedImage(columns * cellW + scale, rows * cellH + scale, BufferedImage.TYPE_BYTE_GRAY);
        float[] px = images.toFloatArray();
        for (int k = 0; k < n; k++) {
            int ox = (k % columns) * cellW + scale;
            int oy = (k / columns) * cellH + scale;
            for (int y = 0; y < height * scale; y++) {
                for (int x = 0; x < width * scale; x++) {
                    float v = px[k * height * width + (y / scale) * width + x / scale];
                    int g = Math.round(255 * Math.max(0f, Math.min(1f, v)));
                    img.getRaster().setSample(ox + x, oy + y, 0, g);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // unreachable: writing to memory
        }
        return out.toByteArray();
    }
}
