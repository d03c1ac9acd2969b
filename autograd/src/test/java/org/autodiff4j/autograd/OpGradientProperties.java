package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.autograd.ops.BinaryCrossEntropy;
import org.autodiff4j.autograd.ops.BinaryCrossEntropyWithLogits;
import org.autodiff4j.tensor.BinaryRows;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * For every primitive and loss: over random shapes (every broadcast case for binary ops) and
 * random values in the op's smooth domain, the analytic gradient equals the numerical one to a
 * relative error of at most 1e-6 in FLOAT64, and so do the second derivatives: the Hessian-vector
 * product through the recorded backward ({@link GradCheck#checkSecondOrder}) against central
 * differences of first-order gradients.
 */
class OpGradientProperties {
    static final double TOLERANCE = 1e-6;
    private static final int TRIES = 150;

    @Provide
    Arbitrary<Operands.Pair> pairs() {
        return Operands.broadcastPairs();
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Operands.shapes();
    }

    @Provide
    Arbitrary<Reduction> reductions() {
        return Arbitraries.of(Reduction.values());
    }

    private static void check(long seed, Function<Variable[], Variable> f, Tensor... inputs) {
        GradCheck.assertGradients(f, new Generator(seed ^ 0x5DEECE66DL), TOLERANCE, inputs);
        GradCheck.assertSecondOrder(f, new Generator(seed ^ 0x2545F4914F6CDD1DL), TOLERANCE, inputs);
    }

    // ---------------------------------------------------------------- binary, broadcasting

    @Property(tries = TRIES)
    void add(@ForAll("pairs") Operands.Pair p, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].add(v[1]), Operands.uniform(g, p.a(), -2, 2), Operands.uniform(g, p.b(), -2, 2));
    }

    @Property(tries = TRIES)
    void sub(@ForAll("pairs") Operands.Pair p, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].sub(v[1]), Operands.uniform(g, p.a(), -2, 2), Operands.uniform(g, p.b(), -2, 2));
    }

    @Property(tries = TRIES)
    void mul(@ForAll("pairs") Operands.Pair p, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].mul(v[1]), Operands.uniform(g, p.a(), -2, 2), Operands.uniform(g, p.b(), -2, 2));
    }

    @Property(tries = TRIES)
    void div(@ForAll("pairs") Operands.Pair p, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].div(v[1]), Operands.uniform(g, p.a(), -2, 2), Operands.awayFromZero(g, p.b()).map(Elementwise.unary(
                x -> x + Math.signum(x) * 0.5)));
    }

    @Property(tries = TRIES)
    void binaryCrossEntropy(@ForAll("pairs") Operands.Pair p, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> BinaryCrossEntropy.apply(v[0], v[1]),
                Operands.uniform(g, p.a(), 0.05, 0.95), Operands.uniform(g, p.b(), 0, 1));
    }

    @Property(tries = TRIES)
    void binaryCrossEntropyWithLogits(@ForAll("pairs") Operands.Pair p, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> BinaryCrossEntropyWithLogits.apply(v[0], v[1]),
                Operands.uniform(g, p.a(), -6, 6), Operands.uniform(g, p.b(), 0, 1));
    }

    // ---------------------------------------------------------------- unary

    @Property(tries = TRIES)
    void affine(@ForAll("shapes") Shape s, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].mul(-1.5).add(0.25).rsub(2.0).div(3.0).neg(), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void exp(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].exp(), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void log(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].log(), Operands.uniform(new Generator(seed), s, 0.5, 3));
    }

    @Property(tries = TRIES)
    void log1p(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].log1p(), Operands.uniform(new Generator(seed), s, -0.5, 3));
    }

    @Property(tries = TRIES)
    void tanh(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].tanh(), Operands.uniform(new Generator(seed), s, -3, 3));
    }

    @Property(tries = TRIES)
    void sigmoid(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].sigmoid(), Operands.uniform(new Generator(seed), s, -6, 6));
    }

    @Property(tries = TRIES)
    void relu(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].relu(), Operands.awayFromZero(new Generator(seed), s));
    }

    @Property(tries = TRIES)
    void leakyRelu(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].leakyRelu(0.2), Operands.awayFromZero(new Generator(seed), s));
    }

    @Property(tries = TRIES)
    void softplus(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].softplus(), Operands.uniform(new Generator(seed), s, -8, 8));
    }

    @Property(tries = TRIES)
    void square(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].square(), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void sqrt(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].sqrt(), Operands.uniform(new Generator(seed), s, 0.5, 3));
    }

    @Property(tries = TRIES)
    void pow(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll @IntRange(min = -3, max = 6) int halfSteps) {
        double p = 0.5 * halfSteps;
        check(seed, v -> v[0].pow(p), Operands.uniform(new Generator(seed), s, 0.5, 2));
    }

    @Property(tries = TRIES)
    void clamp(@ForAll("shapes") Shape s, @ForAll long seed) {
        // values clear of the bounds -0.5 and 0.5 by at least 0.05
        Tensor x = Operands.awayFromZero(new Generator(seed), s).map(Elementwise.unary(
                u -> Math.abs(Math.abs(u) - 0.5) < 0.05 ? u * 1.3 : u));
        check(seed, v -> v[0].clamp(-0.5, 0.5), x);
    }

    // ---------------------------------------------------------------- linear algebra, shape, reductions

    @Property(tries = TRIES)
    void matMul(@ForAll("dims") int m, @ForAll("dims") int k, @ForAll("dims") int n,
                @ForAll boolean transA, @ForAll boolean transB, @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor a = Operands.uniform(g, transA ? Shape.of(k, m) : Shape.of(m, k), -2, 2);
        Tensor b = Operands.uniform(g, transB ? Shape.of(n, k) : Shape.of(k, n), -2, 2);
        check(seed, v -> v[0].matMul(v[1], transA, transB), a, b);
    }

    @Property(tries = TRIES)
    void linear(@ForAll("dims") int m, @ForAll("dims") int k, @ForAll("dims") int n, @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor x = Operands.uniform(g, Shape.of(m, k), -2, 2);
        Tensor w = Operands.uniform(g, Shape.of(n, k), -2, 2);
        Tensor b = Operands.uniform(g, Shape.of(n), -2, 2);
        check(seed, v -> v[0].linear(v[1], v[2]), x, w, b);
    }

    /** With x binary and sparse enough for {@link BinaryRows#whenSparse}: the sparse forward and weight gradient. */
    @Property(tries = 30)
    void linear_ofSparseBinaryInput(@ForAll @IntRange(min = 1, max = 12) int ones, @ForAll long seed) {
        Generator g = new Generator(seed);
        double[] values = new double[8 * 40];
        for (int i = 0; i < ones; i++) {
            values[g.nextInt(values.length)] = 1;
        }
        Tensor x = Tensor.of(values, 8, 40);
        assertTrue(BinaryRows.whenSparse(x).isPresent(), "under the threshold: " + ones + " ones in 320");
        Tensor w = Operands.uniform(g, Shape.of(6, 40), -2, 2);
        Tensor b = Operands.uniform(g, Shape.of(6), -2, 2);
        check(seed, v -> v[0].linear(v[1], v[2]), x, w, b);
    }

    @Provide
    Arbitrary<Integer> dims() {
        return Operands.dims();
    }

    @Property(tries = TRIES)
    void transpose(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].transpose(), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void reshape(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].reshape(s.size(), 1), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void sumAll(@ForAll("shapes") Shape s, @ForAll long seed) {
        check(seed, v -> v[0].sum(), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void sumAxis(@ForAll("matrices") Shape s, @ForAll @IntRange(min = -2, max = 1) int axis,
                 @ForAll boolean keepDims, @ForAll long seed) {
        check(seed, v -> v[0].sum(axis, keepDims), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void meanAxis(@ForAll("matrices") Shape s, @ForAll @IntRange(min = -2, max = 1) int axis,
                  @ForAll boolean keepDims, @ForAll long seed) {
        check(seed, v -> v[0].mean(axis, keepDims).add(v[0].mean()), Operands.uniform(new Generator(seed), s, -2, 2));
    }

    @Property(tries = TRIES)
    void max(@ForAll("matrices") Shape s, @ForAll @IntRange(min = -2, max = 1) int axis,
             @ForAll boolean keepDims, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> v[0].max(axis, keepDims), Operands.distinct(g, s));
    }

    @Provide
    Arbitrary<Shape> matrices() {
        return net.jqwik.api.Combinators.combine(dims(), dims()).as(Shape::of);
    }

    @Property(tries = TRIES)
    void narrow(@ForAll("matrices") Shape s, @ForAll @IntRange(min = 0, max = 1) int axis, @ForAll long seed) {
        Generator g = new Generator(seed);
        int size = s.dim(axis);
        int start = g.nextInt(size);
        int length = 1 + g.nextInt(size - start);
        check(seed, v -> v[0].narrow(axis, start, length), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void concat(@ForAll("matrices") Shape s, @ForAll @IntRange(min = 0, max = 1) int axis,
                @ForAll("dims") int other, @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor a = Operands.uniform(g, s, -2, 2);
        Tensor b = Operands.uniform(g, s.withDim(axis, other), -2, 2);
        check(seed, v -> Variable.concat(axis, v[0], v[1], v[0]), a, b);
    }

    // ---------------------------------------------------------------- losses

    @Property(tries = TRIES)
    void bceWithLogits(@ForAll("pairs") Operands.Pair p, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> Losses.bceWithLogits(v[0], v[1], r),
                Operands.uniform(g, p.a(), -6, 6), Operands.uniform(g, p.b(), 0, 1));
    }

    @Property(tries = TRIES)
    void bce(@ForAll("shapes") Shape s, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> Losses.bce(v[0], v[1], r), Operands.uniform(g, s, 0.05, 0.95), Operands.uniform(g, s, 0, 1));
    }

    @Property(tries = TRIES)
    void gaussianKlToStandard(@ForAll("shapes") Shape s, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> Losses.gaussianKl(v[0], v[1], r), Operands.uniform(g, s, -2, 2), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void gaussianKlBetweenTwo(@ForAll("shapes") Shape s, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> Losses.gaussianKl(v[0], v[1], v[2], v[3], r), Operands.uniform(g, s, -2, 2),
                Operands.uniform(g, s, -2, 2), Operands.uniform(g, s, -2, 2), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void gaussianNll(@ForAll("shapes") Shape s, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> Losses.gaussianNll(v[0], v[1], v[2], r), Operands.uniform(g, s, -2, 2),
                Operands.uniform(g, s, -2, 2), Operands.uniform(g, s, -2, 2));
    }

    @Property(tries = TRIES)
    void crossEntropy(@ForAll("matrices") Shape s, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] labels = new int[s.dim(0)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = g.nextInt(s.dim(1));
        }
        check(seed, v -> Losses.crossEntropy(v[0], labels, r), Operands.uniform(g, s, -4, 4));
    }

    @Property(tries = TRIES)
    void logSoftmax(@ForAll("matrices") Shape s, @ForAll @IntRange(min = 0, max = 1) int axis, @ForAll long seed) {
        check(seed, v -> v[0].logSoftmax(axis), Operands.uniform(new Generator(seed), s, -4, 4));
    }

    @Property(tries = TRIES)
    void mse(@ForAll("pairs") Operands.Pair p, @ForAll("reductions") Reduction r, @ForAll long seed) {
        Generator g = new Generator(seed);
        check(seed, v -> Losses.mse(v[0], v[1], r), Operands.uniform(g, p.a(), -2, 2), Operands.uniform(g, p.b(), -2, 2));
    }
}
