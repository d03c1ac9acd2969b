package org.autodiff4j.autograd;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/** Generators of shapes (dims 1-4, every broadcast case) and of values kept inside each op's smooth domain. */
final class Operands {
    private Operands() {
    }

    /** Every way two operands broadcast against each other: {@code a} is the left, {@code b} the right. */
    enum Case {
        SAME, SCALAR, ROW, ROW_KEEPDIM, COLUMN, OUTER, VECTOR_COLUMN, VECTORS, VECTOR_SCALAR, SCALARS
    }

    /** Two shapes that broadcast, and whether they were swapped (so each case appears on both sides). */
    record Pair(Shape a, Shape b) {
        @Override
        public String toString() {
            return a + " with " + b;
        }
    }

    static Arbitrary<Integer> dims() {
        return Arbitraries.integers().between(1, 4);
    }

    static Arbitrary<Pair> broadcastPairs() {
        return Combinators.combine(dims(), dims(), Arbitraries.of(Case.values()), Arbitraries.of(false, true))
                .as((r, c, kind, swap) -> {
                    Pair p = pair(r, c, kind);
                    return swap ? new Pair(p.b(), p.a()) : p;
                });
    }

    private static Pair pair(int r, int c, Case kind) {
        return switch (kind) {
            case SAME -> new Pair(Shape.of(r, c), Shape.of(r, c));
            case SCALAR -> new Pair(Shape.of(r, c), Shape.SCALAR);
            case ROW -> new Pair(Shape.of(r, c), Shape.of(c));
            case ROW_KEEPDIM -> new Pair(Shape.of(r, c), Shape.of(1, c));
            case COLUMN -> new Pair(Shape.of(r, c), Shape.of(r, 1));
            case OUTER -> new Pair(Shape.of(r, 1), Shape.of(1, c));
            case VECTOR_COLUMN -> new Pair(Shape.of(c), Shape.of(r, 1));
            case VECTORS -> new Pair(Shape.of(c), Shape.of(c));
            case VECTOR_SCALAR -> new Pair(Shape.of(c), Shape.SCALAR);
            case SCALARS -> new Pair(Shape.SCALAR, Shape.SCALAR);
        };
    }

    /** Ranks 0 to 2 with dims 1-4. */
    static Arbitrary<Shape> shapes() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), dims(), dims())
                .as((rank, r, c) -> switch (rank) {
                    case 0 -> Shape.SCALAR;
                    case 1 -> Shape.of(c);
                    default -> Shape.of(r, c);
                });
    }

    /** Uniform on [-2, 2] but at least 0.05 from 0: clear of the kinks of relu, leakyRelu and abs. */
    static Tensor awayFromZero(Generator g, Shape s) {
        return Tensor.uniform(g, 0.05, 2.0, DType.FLOAT64, s.dims())
                .mul(Tensor.uniform(g, 0, 1, DType.FLOAT64, s.dims()).map(Elementwise.unary(u -> u < 0.5 ? -1.0 : 1.0)));
    }

    /** Uniform on [lo, hi]. */
    static Tensor uniform(Generator g, Shape s, double lo, double hi) {
        return Tensor.uniform(g, lo, hi, DType.FLOAT64, s.dims());
    }

    /** Distinct values at least 0.1 apart in random order, so a maximum is never near a tie. */
    static Tensor distinct(Generator g, Shape s) {
        int[] perm = g.permutation(s.size());
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1 * perm[i] - 0.5 + 0.01 * g.nextDouble();
        }
        return Tensor.of(v, s.dims());
    }
}
