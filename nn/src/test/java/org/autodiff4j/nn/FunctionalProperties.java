package org.autodiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.autodiff4j.autograd.GradCheck;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * The layers' functions over generated shapes, strides, paddings (past the kernel's half too), dilations, groups
 * and output paddings: first and second derivatives against float64 central differences (GradCheck), values of
 * the transposed convolution against the adjoint of the convolution, pooling and upsampling against direct loops,
 * normalisation's statistics; errors naming the op and the shapes.
 */
class FunctionalProperties {
    private static final double TOLERANCE = 1e-6;
    private static final int TRIES = 40;

    private static void check(long seed, Function<Variable[], Variable> f, Tensor... inputs) {
        GradCheck.assertGradients(f, new Generator(seed ^ 0x5DEECE66DL), TOLERANCE, inputs);
        GradCheck.assertSecondOrder(f, new Generator(seed ^ 0x2545F4914F6CDD1DL), TOLERANCE, inputs);
    }

    private static Tensor uniform(Generator g, double lo, double hi, int... dims) {
        return Tensor.uniform(g, lo, hi, DType.FLOAT64, dims);
    }

    private static Window window(int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw) {
        return new Window(new int[] {kh, kw}, new int[] {dh, dw}, new int[] {ph, pw}, new int[] {sh, sw});
    }

    private static boolean fits(int h, int w, Window win) {
        return Functional.outputSize(h, win, 0) >= 1 && Functional.outputSize(w, win, 1) >= 1
                && win.dilation()[0] * (win.kernel()[0] - 1) + 1 <= h + 2 * win.padding()[0]
                && win.dilation()[1] * (win.kernel()[1] - 1) + 1 <= w + 2 * win.padding()[1];
    }

    @Property(tries = TRIES)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
                @ForAll @IntRange(min = 1, max = 3) int kh, @ForAll @IntRange(min = 1, max = 3) int kw,
                @ForAll @IntRange(min = 0, max = 3) int ph, @ForAll @IntRange(min = 1, max = 3) int sh,
                @ForAll @IntRange(min = 1, max = 2) int dw, @ForAll @IntRange(min = 2, max = 6) int h,
                @ForAll @IntRange(min = 2, max = 5) int w, @ForAll boolean bias, @ForAll long seed) {
        Window win = window(kh, kw, 1, dw, ph, 1, sh, 1);
        Assume.that(fits(h, w, win));
        Generator g = new Generator(seed);
        int c = 2 * groups;
        int f = 2 * groups;
        Tensor x = uniform(g, -1, 1, n, c, h, w);
        Tensor wt = uniform(g, -1, 1, f, c / groups, kh, kw);
        Tensor b = uniform(g, -1, 1, f);
        if (bias) {
            check(seed, v -> Functional.conv2d(v[0], v[1], v[2], win, groups).tanh(), x, wt, b);
        } else {
            check(seed, v -> Functional.conv2d(v[0], v[1], null, win, groups).tanh(), x, wt);
        }
    }

    @Property(tries = TRIES)
    void convTranspose2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int cin,
                         @ForAll @IntRange(min = 1, max = 3) int cout, @ForAll @IntRange(min = 1, max = 4) int k,
                         @ForAll @IntRange(min = 1, max = 3) int s, @ForAll @IntRange(min = 0, max = 2) int p,
                         @ForAll @IntRange(min = 0, max = 2) int outputPadding, @ForAll @IntRange(min = 1, max = 4) int h,
                         @ForAll long seed) {
        Assume.that(outputPadding < s);
        Window win = window(k, k, 1, 1, p, p, s, s);
        int out = (h - 1) * s - 2 * p + (k - 1) + outputPadding + 1;
        Assume.that(out >= 1 && k <= out + 2 * p);
        Generator g = new Generator(seed);
        Tensor x = uniform(g, -1, 1, n, cin, h, h);
        Tensor wt = uniform(g, -1, 1, cin, cout, k, k);
        Tensor b = uniform(g, -1, 1, cout);
        int[] op = {outputPadding, outputPadding};
        check(seed, v -> Functional.convTranspose2d(v[0], v[1], v[2], win, op).tanh(), x, wt, b);
    }

    /** The transposed convolution is the convolution's adjoint: {@code <conv(y), x> = <y, convT(x)>} with one weight. */
    @Property(tries = TRIES)
    void convTranspose2d_isTheAdjointOfConv2d(@ForAll @IntRange(min = 1, max = 3) int k,
                                              @ForAll @IntRange(min = 1, max = 3) int s,
                                              @ForAll @IntRange(min = 0, max = 2) int p,
                                              @ForAll @IntRange(min = 3, max = 7) int size, @ForAll long seed) {
        Window win = window(k, k, 1, 1, p, p, s, s);
        Assume.that(fits(size, size, win));
        int oh = Functional.outputSize(size, win, 0);
        int outputPadding = size - ((oh - 1) * s - 2 * p + k);
        Assume.that(outputPadding >= 0 && outputPadding < s);
        Generator g = new Generator(seed);
        Tensor y = uniform(g, -1, 1, 2, 3, size, size);
        Tensor wt = uniform(g, -1, 1, 4, 3, k, k);
        Tensor x = uniform(g, -1, 1, 2, 4, oh, oh);
        Tensor conv = Functional.conv2d(Variable.constant(y), Variable.constant(wt), null, win, 1).value();
        Tensor back = Functional.convTranspose2d(Variable.constant(x), Variable.constant(wt), null, win,
                new int[] {outputPadding, outputPadding}).value();
        assertEquals(y.shape(), back.shape());
        assertEquals(conv.mul(x).sum().item(), y.mul(back).sum().item(), 1e-9);
    }

    @Property(tries = TRIES)
    void pooling(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int s,
                 @ForAll @IntRange(min = 0, max = 1) int p, @ForAll @IntRange(min = 2, max = 6) int size,
                 @ForAll long seed) {
        Assume.that(2 * p <= k);
        Window win = window(k, k, 1, 1, p, p, s, s);
        Assume.that(fits(size, size, win));
        Generator g = new Generator(seed);
        int[] perm = g.permutation(2 * 2 * size * size);
        double[] distinct = new double[perm.length];
        for (int i = 0; i < perm.length; i++) {
            distinct[i] = 0.1 * perm[i] - 1;
        }
        Tensor x = Tensor.of(distinct, 2, 2, size, size);
        check(seed, v -> Functional.maxPool2d(v[0], win).square(), x);
        check(seed, v -> Functional.avgPool2d(v[0], win).square(), x);
        Tensor max = Functional.maxPool2d(Variable.constant(x), win).value();
        Tensor avg = Functional.avgPool2d(Variable.constant(x), win).value();
        int o = Functional.outputSize(size, win, 0);
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < o; r++) {
                for (int q = 0; q < o; q++) {
                    double m = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int yy = r * s + i - p;
                            int xx = q * s + j - p;
                            if (yy >= 0 && yy < size && xx >= 0 && xx < size) {
                                m = Math.max(m, x.get(1, c, yy, xx));
                                sum += x.get(1, c, yy, xx);
                            }
                        }
                    }
                    assertEquals(m, max.get(1, c, r, q));
                    assertEquals(sum / (k * k), avg.get(1, c, r, q), 1e-12);
                }
            }
        }
    }

    @Property(tries = 20)
    void upsampleNearest(@ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
                         @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor x = uniform(g, -1, 1, 2, 2, 3, 2);
        Tensor y = Functional.upsampleNearest(Variable.constant(x), sh, sw).value();
        assertEquals(Shape.of(2, 2, 3 * sh, 2 * sw), y.shape());
        assertEquals(x.get(1, 1, 2, 1), y.get(1, 1, 3 * sh - 1, 2 * sw - 1));
        assertEquals(x.get(0, 1, 1, 0), y.get(0, 1, sh, sw - 1));
        check(seed, v -> Functional.upsampleNearest(v[0], sh, sw).square(), x);
    }

    @Property(tries = TRIES)
    void batchNorm(@ForAll @IntRange(min = 3, max = 5) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                   @ForAll boolean images, @ForAll boolean training, @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor x = images ? uniform(g, -2, 2, n, c, 2, 3) : uniform(g, -2, 2, n, c);
        Tensor weight = uniform(g, 0.5, 1.5, c);
        Tensor bias = uniform(g, -1, 1, c);
        Tensor runningMean = uniform(g, -0.5, 0.5, c);
        Tensor runningVar = uniform(g, 0.5, 1.5, c);
        // eps 1e-2 in the derivative check: with a few samples per channel the variance can be small, and the
        // third derivatives of 1 / sqrt(var + eps) then make central differences too coarse for 1e-6
        check(seed, v -> Functional.batchNorm(v[0], runningMean.copy(), runningVar.copy(), v[1], v[2], training, 0.1,
                1e-2).tanh(), x, weight, bias);
        Tensor rm = runningMean.copy();
        Tensor rv = runningVar.copy();
        Tensor y = Functional.batchNorm(Variable.constant(x), rm, rv, null, null, training, 0.1, 1e-5).value();
        int[] axes = images ? new int[] {0, 2, 3} : new int[] {0};
        if (training) {
            assertArrayEquals(new double[c], y.mean(axes, false).toDoubleArray(), 1e-12);
            int count = x.size() / c;
            Tensor unbiased = x.var(axes, 1, false);
            assertArrayEquals(runningVar.mul(0.9).add(unbiased.mul(0.1)).toDoubleArray(), rv.toDoubleArray(), 1e-12);
            assertArrayEquals(runningMean.mul(0.9).add(x.mean(axes, false).mul(0.1)).toDoubleArray(), rm.toDoubleArray(),
                    1e-12);
            assertTrue(count >= 2);
        } else {
            assertArrayEquals(runningMean.toDoubleArray(), rm.toDoubleArray(), 0.0);
        }
    }

    @Property(tries = TRIES)
    void layerNorm(@ForAll @IntRange(min = 1, max = 4) int normalized, @ForAll boolean affine, @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor x = uniform(g, -2, 2, 2, 3, 2, 3);
        int[] trailing = java.util.Arrays.copyOfRange(x.shape().dims(), 4 - normalized, 4);
        Tensor weight = uniform(g, 0.5, 1.5, trailing);
        Tensor bias = uniform(g, -1, 1, trailing);
        if (affine) {
            check(seed, v -> Functional.layerNorm(v[0], normalized, v[1], v[2], 1e-5).tanh(), x, weight, bias);
        } else {
            check(seed, v -> Functional.layerNorm(v[0], normalized, null, null, 1e-5).tanh(), x);
        }
        // each sample's normalised values have mean 0 and biased variance 1 (up to eps)
        int[] axes = java.util.stream.IntStream.range(4 - normalized, 4).toArray();
        Tensor y = Functional.layerNorm(Variable.constant(x), normalized, null, null, 0).value();
        assertArrayEquals(new double[x.size() / weight.size()], y.mean(axes, false).toDoubleArray(), 1e-12);
        Tensor ones = Tensor.ones(DType.FLOAT64, x.size() / weight.size());
        assertArrayEquals(ones.toDoubleArray(), y.var(axes, 0, false).toDoubleArray(), 1e-12);
    }

    @Property(tries = 20)
    void dropout_zeroesAboutPAndScalesTheRest(@ForAll @IntRange(min = 1, max = 8) int tenths, @ForAll long seed) {
        double p = tenths / 10.0;
        Tensor x = Tensor.ones(DType.FLOAT64, 4000);
        Tensor y = Functional.dropout(Variable.constant(x), p, true, new Generator(seed)).value();
        int zeros = 0;
        for (double v : y.toDoubleArray()) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / (1 - p), v, 1e-12);
            }
        }
        assertEquals(p, zeros / 4000.0, 0.05);
        assertTrue(Functional.dropout(Variable.constant(x), p, false, new Generator(seed)).value() == x, "eval: identity");
    }

    @Property(tries = 10)
    void errors_nameTheOpAndTheShapes(@ForAll @IntRange(min = 2, max = 4) int c) {
        Variable x = Variable.constant(Tensor.zeros(DType.FLOAT64, 1, c, 5, 5));
        Variable w = Variable.constant(Tensor.zeros(DType.FLOAT64, 3, c + 1, 3, 3));
        ShapeException e = assertThrows(ShapeException.class, () -> Functional.conv2d(x, w, null,
                Window.square(3, 0, 1), 1));
        assertTrue(e.getMessage().startsWith("conv2d: input [1, " + c + ", 5, 5], weight [3, " + (c + 1) + ", 3, 3]"),
                e.getMessage());
        Variable wt = Variable.constant(Tensor.zeros(DType.FLOAT64, c + 1, 2, 3, 3));
        ShapeException t = assertThrows(ShapeException.class, () -> Functional.convTranspose2d(x, wt, null,
                Window.square(3, 0, 1), new int[] {0, 0}));
        assertTrue(t.getMessage().startsWith("convTranspose2d: input [1, " + c + ", 5, 5], weight [" + (c + 1) + ", 2"),
                t.getMessage());
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class, () -> Functional.convTranspose2d(x,
                Variable.constant(Tensor.zeros(DType.FLOAT64, c, 2, 3, 3)), null, Window.square(3, 0, 2), new int[] {2, 0}));
        assertTrue(op.getMessage().startsWith("convTranspose2d: outputPadding [2, 0]"), op.getMessage());
        ShapeException b = assertThrows(ShapeException.class, () -> Functional.batchNorm(x,
                Tensor.zeros(DType.FLOAT64, c + 1), Tensor.ones(DType.FLOAT64, c + 1), null, null, true, 0.1, 1e-5));
        assertTrue(b.getMessage().startsWith("batchNorm: input [1, " + c + ", 5, 5] and running mean [" + (c + 1) + "]"),
                b.getMessage());
    }
}
