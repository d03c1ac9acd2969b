package org.autodiff4j.models.data;

import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A split of an image data set: images as a float32 [n, height * width] tensor with values in [0, 1],
 * and labels when the data set has them.
 *
 * @param name   e.g. {@code binarized-mnist/train}
 * @param images [n, height * width]
 * @param labels one per image, or null
 * @param height image height in pixels
 * @param width  image width in pixels
 */
public record Dataset(String name, Tensor images, int[] labels, int height, int width) {

    /**
     * Checks that the parts fit together.
     *
     * @param name the data set and split, for messages
     * @param images images as rows [n, height * width], values in [0, 1]
     * @param labels one class label per image, or null
     * @param height pixel rows per image
     * @param width pixel columns per image
     */
    public Dataset {
        if (images.rank() != 2 || images.shape().dim(1) != height * width) {
            throw new IllegalArgumentException(name + ": images of shape " + images.shape() + " are not "
                    + height + "x" + width + " pixels each");
        }
        if (labels != null && labels.length != images.shape().dim(0)) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for "
                    + images.shape().dim(0) + " images");
        }
    }

    /**
     * The images as [n, 1, height, width], channels first as PyTorch's: what convolutional models take (a copy).
     *
     * @return the images [n, 1, height, width]
     */
    public Tensor imagesNchw() {
        return images.reshape(size(), 1, height, width);
    }

    /**
     * {@code scale * images + shift} as one new array, rounded once to float32: the images as a model takes them
     * (a GAN's [-1, 1] is scale 2, shift -1), without the transient copies of scaling and reshaping in turn.
     *
     * @param scale the factor
     * @param shift the offset
     * @param nchw whether the result is [n, 1, height, width] (convolutional models) rather than [n, height * width]
     * @return the scaled images
     */
    public Tensor scaledImages(double scale, double shift, boolean nchw) {
        float[] px = images.toFloatArray(); // a copy, scaled in place: the one array made
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (px[i] * scale + shift);
        }
        return nchw ? Tensor.wrap(px, size(), 1, height, width) : Tensor.wrap(px, size(), height * width);
    }

    /**
     * Number of images.
     *
     * @return number of images
     */
    public int size() {
        return images.shape().dim(0);
    }

    /**
     * The first {@code n} images (all when n >= size).
     *
     * @param n the number of images
     * @return the first {@code n} images (all when n >= size)
     */
    public Dataset head(int n) {
        return slice(0, Math.min(n, size()));
    }

    /**
     * Images {@code from} (inclusive) to {@code to} (exclusive), named with a suffix.
     *
     * @param from the start, inclusive
     * @param to the end, exclusive
     * @return images {@code from} (inclusive) to {@code to} (exclusive), named with a suffix
     */
    public Dataset slice(int from, int to) {
        return new Dataset(name, images.sliceRows(from, to),
                labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to), height, width);
    }

    /**
     * Pixels set to 1 with probability equal to their intensity, drawn anew per call (dynamic binarization).
     *
     * @param g the generator to draw from
     * @return pixels set to 1 with probability equal to their intensity, drawn anew per call (dynamic binarization)
     */
    public Tensor sampleBinarized(Generator g) {
        return images.bernoulli(g);
    }

    /**
     * Pixels above {@code threshold} set to 1, others to 0.
     *
     * @param threshold the intensity above which a pixel becomes 1
     * @return pixels above {@code threshold} set to 1, others to 0
     */
    public Dataset thresholded(double threshold) {
        return new Dataset(name, images.map(Elementwise.unary(v -> v > threshold ? 1.0 : 0.0)), labels, height, width);
    }

    /**
     * What identifies these examples: the name, the count and image size, and the SHA-256 of the pixels (as float32)
     * and labels, e.g. {@code binarized-mnist/train 50000x28x28 sha256:3f2a...}. A checkpoint records it, so that a
     * resumed run can tell it is given other data.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
        float[] px = images.toFloatArray();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : px) {
            if (buf.remaining() < 4) {
                sha.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        if (labels != null) {
            for (int l : labels) {
                if (buf.remaining() < 4) {
                    sha.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putInt(l);
            }
        }
        sha.update(buf.array(), 0, buf.position());
        return name + " " + size() + "x" + height + "x" + width + (labels != null ? " labelled" : "") + " sha256:"
                + java.util.HexFormat.of().formatHex(sha.digest());
    }
}
