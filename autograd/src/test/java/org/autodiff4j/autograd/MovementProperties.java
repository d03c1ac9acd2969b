package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * The movement and reduction ops convolution and normalisation are built from (permute, pad, unfold, fold,
 * reductions over several axes, variance, batched matMul, scalar forms): first and second derivatives against
 * float64 central differences over generated shapes, windows and axes; values against direct loops; errors
 * naming the op and the shapes. The linear ops are checked through a square, so that their second derivative
 * runs their recorded rule (unfold's is fold, fold's is unfold).
 */
class MovementProperties {
    private static final double TOLERANCE = 1e-6;
    private static final int TRIES = 60;

    private static void check(long seed, Function<Variable[], Variable> f, Tensor... inputs) {
        GradCheck.assertGradients(f, new Generator(seed ^ 0x5DEECE66DL), TOLERANCE, inputs);
        GradCheck.assertSecondOrder(f, new Generator(seed ^ 0x2545F4914F6CDD1DL), TOLERANCE, inputs);
    }

    /** Ranks 1 to 4, dims 1 to 3. */
    @Provide
    Arbitrary<Shape> shapes() {
        return Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(4)
                .map(l -> Shape.of(l.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** An image batch and a window that fits it, odd sizes and padding past the kernel's half included. */
    record Geometry(Shape image, Window window) {
    }

    @Provide
    Arbitrary<Geometry> geometries() {
        Arbitrary<int[]> pairs13 = Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3)).as((a, b) -> new int[] {a, b});
        Arbitrary<int[]> pads = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3)).as((a, b) -> new int[] {a, b});
        Arbitrary<int[]> dilations = Combinators.combine(Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(1, 2)).as((a, b) -> new int[] {a, b});
        Arbitrary<Shape> images = Combinators.combine(Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 6)).as(Shape::of);
        return Combinators.combine(images, pairs13, dilations, pads, pairs13)
                .as((img, k, d, p, s) -> new Geometry(img, new Window(k, d, p, s)))
                .filter(g -> fits(g.image(), g.window()));
    }

    private static boolean fits(Shape image, Window w) {
        for (int i = 0; i < 2; i++) {
            if (w.dilation()[i] * (w.kernel()[i] - 1) + 1 > image.dim(2 + i) + 2 * w.padding()[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- gradients

    @Property(tries = TRIES)
    void permute(@ForAll("shapes") Shape s, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] axes = g.permutation(s.rank());
        check(seed, v -> v[0].permute(axes).square(), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void pad(@ForAll("shapes") Shape s, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] padding = new int[2 * (1 + g.nextInt(s.rank()))];
        for (int i = 0; i < padding.length; i++) {
            padding[i] = g.nextInt(3);
        }
        check(seed, v -> v[0].pad(padding, 0.5).square(), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void unfold(@ForAll("geometries") Geometry geo, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].unfold(geo.window()).square(), Operands.uniform(g, geo.image(), -2, 2));
    }

    @Property(tries = TRIES)
    void fold(@ForAll("geometries") Geometry geo, @ForAll long seed) {
        Generator g = new Generator(seed);
        Shape columns = Tensor.zeros(geo.image(), org.autodiff4j.tensor.DType.FLOAT64)
                .unfold(geo.window().kernel(), geo.window().dilation(), geo.window().padding(), geo.window().stride())
                .shape();
        int[] size = {geo.image().dim(2), geo.image().dim(3)};
        check(seed, v -> v[0].fold(size, geo.window()).square(), Operands.uniform(g, columns, -2, 2));
    }

    @Property(tries = TRIES)
    void sumMeanOverAxes(@ForAll("shapes") Shape s, @ForAll boolean keepDims, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] axes = someAxes(g, s);
        check(seed, v -> v[0].sum(axes, keepDims).square().add(v[0].mean(axes, keepDims).exp().sum()),
                Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void maxOverAxes(@ForAll("shapes") Shape s, @ForAll boolean keepDims, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] axes = someAxes(g, s);
        check(seed, v -> v[0].max(axes, keepDims).square(), Operands.distinct(g, s));
    }

    @Property(tries = TRIES)
    void varOverAxes(@ForAll("shapes") Shape s, @ForAll @IntRange(min = 0, max = 1) int correction,
                     @ForAll boolean keepDims, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] axes = someAxes(g, s);
        Assume.that(reducedCount(s, axes) > correction);
        check(seed, v -> v[0].var(axes, correction, keepDims), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void batchedMatMul(@ForAll @IntRange(min = 1, max = 3) int m, @ForAll @IntRange(min = 1, max = 3) int k,
                       @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 0, max = 3) int broadcast,
                       @ForAll boolean transA, @ForAll boolean transB, @ForAll long seed) {
        Generator g = new Generator(seed);
        Shape[] batches = batchPair(broadcast);
        Tensor a = Operands.uniform(g, matrices(batches[0], transA ? k : m, transA ? m : k), -2, 2);
        Tensor b = Operands.uniform(g, matrices(batches[1], transB ? n : k, transB ? k : n), -2, 2);
        check(seed, v -> v[0].matMul(v[1], transA, transB), a, b);
    }

    @Property(tries = TRIES)
    void scalarForms(@ForAll("shapes") Shape s, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].sub(0.5).mul(3.0).div(1.5).square(), Operands.uniform(g, s, -2, 2));
        Tensor x = Operands.uniform(g, s, -2, 2);
        assertTrue(x.sub(0.5).allClose(x.add(-0.5), 0, 0));
        assertTrue(x.div(4.0).allClose(x.mul(0.25), 0, 0));
    }

    // ---------------------------------------------------------------- values

    @Property(tries = TRIES)
    void unfold_readsEachWindow(@ForAll("geometries") Geometry geo, @ForAll long seed) {
        Tensor x = Operands.uniform(new Generator(seed), geo.image(), -2, 2);
        Window w = geo.window();
        Tensor cols = x.unfold(w.kernel(), w.dilation(), w.padding(), w.stride());
        int c = geo.image().dim(1);
        int h = geo.image().dim(2);
        int wd = geo.image().dim(3);
        int[] k = w.kernel();
        int oh = (h + 2 * w.padding()[0] - w.dilation()[0] * (k[0] - 1) - 1) / w.stride()[0] + 1;
        int ow = (wd + 2 * w.padding()[1] - w.dilation()[1] * (k[1] - 1) - 1) / w.stride()[1] + 1;
        assertEquals(Shape.of(geo.image().dim(0), c * k[0] * k[1], oh * ow), cols.shape());
        for (int n = 0; n < geo.image().dim(0); n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < k[0]; i++) {
                    for (int j = 0; j < k[1]; j++) {
                        for (int y = 0; y < oh; y++) {
                            for (int xx = 0; xx < ow; xx++) {
                                int r = y * w.stride()[0] + i * w.dilation()[0] - w.padding()[0];
                                int q = xx * w.stride()[1] + j * w.dilation()[1] - w.padding()[1];
                                double expected = r < 0 || r >= h || q < 0 || q >= wd ? 0 : x.get(n, ch, r, q);
                                assertEquals(expected, cols.get(n, (ch * k[0] + i) * k[1] + j, y * ow + xx));
                            }
                        }
                    }
                }
            }
        }
    }

    @Property(tries = TRIES)
    void unfoldBatchAndFoldBatch(@ForAll("geometries") Geometry geo, @ForAll long seed) {
        Generator g = new Generator(seed);
        Window w = geo.window();
        int n = geo.image().dim(0);
        int[] size = {geo.image().dim(2), geo.image().dim(3)};
        Tensor x = Operands.uniform(g, geo.image(), -2, 2);
        // the same columns as unfold's, laid out [C kh kw, N L], and their fold the same images as fold's
        Tensor cols = x.unfold(w.kernel(), w.dilation(), w.padding(), w.stride());
        Tensor batch = x.unfoldBatch(w.kernel(), w.dilation(), w.padding(), w.stride());
        Tensor expected = cols.permute(1, 0, 2).reshape(batch.shape().dims());
        assertEquals(0.0, batch.sub(expected).abs().sum().item());
        Tensor y = Operands.uniform(g, cols.shape(), -2, 2);
        Tensor yBatch = y.permute(1, 0, 2).reshape(batch.shape().dims());
        assertEquals(0.0, y.fold(size, w.kernel(), w.dilation(), w.padding(), w.stride())
                .sub(yBatch.foldBatch(n, size, w.kernel(), w.dilation(), w.padding(), w.stride())).abs().max(new int[0], false)
                .item(), 1e-12);
        check(seed, v -> v[0].unfoldBatch(w).square(), x);
        check(seed, v -> v[0].foldBatch(n, size, w).square(), yBatch);
    }

    /** fold is unfold's adjoint: {@code <unfold(x), y> = <x, fold(y)>}. */
    @Property(tries = TRIES)
    void fold_isTheAdjointOfUnfold(@ForAll("geometries") Geometry geo, @ForAll long seed) {
        Generator g = new Generator(seed);
        Window w = geo.window();
        Tensor x = Operands.uniform(g, geo.image(), -2, 2);
        Tensor cols = x.unfold(w.kernel(), w.dilation(), w.padding(), w.stride());
        Tensor y = Operands.uniform(g, cols.shape(), -2, 2);
        Tensor back = y.fold(new int[] {geo.image().dim(2), geo.image().dim(3)}, w.kernel(), w.dilation(),
                w.padding(), w.stride());
        assertEquals(cols.mul(y).sum().item(), x.mul(back).sum().item(), 1e-9);
    }

    @Property(tries = TRIES)
    void batchedMatMul_isAProductPerBatch(@ForAll @IntRange(min = 0, max = 3) int broadcast, @ForAll long seed) {
        Generator g = new Generator(seed);
        Shape[] batches = batchPair(broadcast);
        Tensor a = Operands.uniform(g, matrices(batches[0], 2, 3), -2, 2);
        Tensor b = Operands.uniform(g, matrices(batches[1], 3, 4), -2, 2);
        Tensor c = a.matMul(b);
        Shape batch = batches[0].broadcastWith(batches[1], "test");
        Tensor ab = a.broadcastTo(matrices(batch, 2, 3));
        Tensor bb = b.broadcastTo(matrices(batch, 3, 4));
        assertEquals(matrices(batch, 2, 4), c.shape());
        Tensor a2 = ab.reshape(batch.size(), 2, 3);
        Tensor b2 = bb.reshape(batch.size(), 3, 4);
        Tensor c2 = c.reshape(batch.size(), 2, 4);
        for (int i = 0; i < batch.size(); i++) {
            Tensor expected = a2.narrow(0, i, 1).reshape(2, 3).matMul(b2.narrow(0, i, 1).reshape(3, 4));
            assertArrayEquals(expected.toDoubleArray(), c2.narrow(0, i, 1).toDoubleArray(), 1e-12);
        }
    }

    @Property(tries = 30)
    void permute_thenInverse_isTheInput(@ForAll("shapes") Shape s, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] axes = g.permutation(s.rank());
        int[] inverse = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inverse[axes[i]] = i;
        }
        Tensor x = Operands.uniform(g, s, -2, 2);
        Tensor p = x.permute(axes);
        for (int i = 0; i < axes.length; i++) {
            assertEquals(s.dim(axes[i]), p.shape().dim(i));
        }
        assertArrayEquals(x.toDoubleArray(), p.permute(inverse).toDoubleArray(), 0);
    }

    /** A convolution as unfold and one batched product (README's snippet): values against direct loops, gradients. */
    @Property(tries = 30)
    void unfoldThenMatMul_isAConvolution(@ForAll("geometries") Geometry geo, @ForAll @IntRange(min = 1, max = 3) int f,
                                         @ForAll long seed) {
        Generator g = new Generator(seed);
        Window w = geo.window();
        int n = geo.image().dim(0);
        int c = geo.image().dim(1);
        int[] k = w.kernel();
        Tensor x = Operands.uniform(g, geo.image(), -2, 2);
        Tensor weight = Operands.uniform(g, Shape.of(f, c, k[0], k[1]), -1, 1);
        Tensor bias = Operands.uniform(g, Shape.of(f), -1, 1);
        Function<Variable[], Variable> conv = v -> {
            Variable cols = v[0].unfold(w);
            int l = cols.shape().dim(2);
            return v[1].reshape(f, c * k[0] * k[1]).matMul(cols).add(v[2].reshape(f, 1)).reshape(n, f, l);
        };
        Tensor y = conv.apply(new Variable[] {Variable.constant(x), Variable.constant(weight), Variable.constant(bias)})
                .value();
        int h = geo.image().dim(2);
        int wd = geo.image().dim(3);
        int oh = (h + 2 * w.padding()[0] - w.dilation()[0] * (k[0] - 1) - 1) / w.stride()[0] + 1;
        int ow = (wd + 2 * w.padding()[1] - w.dilation()[1] * (k[1] - 1) - 1) / w.stride()[1] + 1;
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < f; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double sum = bias.get(o);
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < k[0]; i++) {
                                for (int j = 0; j < k[1]; j++) {
                                    int yy = r * w.stride()[0] + i * w.dilation()[0] - w.padding()[0];
                                    int xx = q * w.stride()[1] + j * w.dilation()[1] - w.padding()[1];
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        sum += weight.get(o, ch, i, j) * x.get(b, ch, yy, xx);
                                    }
                                }
                            }
                        }
                        assertEquals(sum, y.get(b, o, r * ow + q), 1e-12);
                    }
                }
            }
        }
        check(seed, v -> conv.apply(v).tanh(), x, weight, bias);
    }

    // ---------------------------------------------------------------- errors

    @Property(tries = 20)
    void errors_nameTheOpAndTheShapes(@ForAll @IntRange(min = 2, max = 4) int k) {
        Tensor a = Tensor.zeros(org.autodiff4j.tensor.DType.FLOAT64, 2, 3, k);
        Tensor b = Tensor.zeros(org.autodiff4j.tensor.DType.FLOAT64, 4, k + 1, 5);
        ShapeException mm = assertThrows(ShapeException.class, () -> a.matMul(b));
        assertTrue(mm.getMessage().startsWith("matMul: [2, 3, " + k + "] x [4, " + (k + 1) + ", 5]"), mm.getMessage());
        ShapeException p = assertThrows(ShapeException.class, () -> a.permute(0, 1));
        assertTrue(p.getMessage().contains("permute") && p.getMessage().contains("[2, 3, " + k + "]"), p.getMessage());
        ShapeException u = assertThrows(ShapeException.class, () -> a.unfold(new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}));
        assertTrue(u.getMessage().startsWith("unfold: input [2, 3, " + k + "]"), u.getMessage());
        Tensor image = Tensor.zeros(org.autodiff4j.tensor.DType.FLOAT64, 1, 1, k, k);
        ShapeException big = assertThrows(ShapeException.class, () -> image.unfold(new int[] {k + 2, 1},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}));
        assertTrue(big.getMessage().contains("[1, 1, " + k + ", " + k + "]"), big.getMessage());
        ShapeException f = assertThrows(ShapeException.class, () -> b.fold(new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}));
        assertTrue(f.getMessage().startsWith("fold: input [4, " + (k + 1) + ", 5]"), f.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> a.sum(new int[] {1, -2}, false));
        assertTrue(s.getMessage().startsWith("sum: axis 1 appears twice"), s.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    /** A non-empty random subset of the axes, some written negative. */
    private static int[] someAxes(Generator g, Shape s) {
        int[] perm = g.permutation(s.rank());
        int[] axes = java.util.Arrays.copyOf(perm, 1 + g.nextInt(s.rank()));
        for (int i = 0; i < axes.length; i++) {
            if (g.nextDouble() < 0.5) {
                axes[i] -= s.rank();
            }
        }
        return axes;
    }

    /** Batch shapes for the four cases: equal, one missing, one of size 1, both broadcasting. */
    private static Shape[] batchPair(int broadcast) {
        return switch (broadcast) {
            case 0 -> new Shape[] {Shape.of(2), Shape.of(2)};
            case 1 -> new Shape[] {Shape.of(3), Shape.SCALAR};
            case 2 -> new Shape[] {Shape.of(1, 2), Shape.of(3, 2)};
            default -> new Shape[] {Shape.of(2, 1), Shape.of(3)};
        };
    }

    private static Shape matrices(Shape batch, int rows, int cols) {
        int[] dims = java.util.Arrays.copyOf(batch.dims(), batch.rank() + 2);
        dims[batch.rank()] = rows;
        dims[batch.rank() + 1] = cols;
        return Shape.of(dims);
    }

    /** The number of elements a reduction over these axes combines. */
    private static int reducedCount(Shape s, int[] axes) {
        int n = 1;
        for (int a : axes) {
            n *= s.dim(Math.floorMod(a, s.rank()));
        }
        return n;
    }
}
