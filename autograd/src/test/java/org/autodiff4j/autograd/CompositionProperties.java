package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * Random compositions of ops, depth 4 to 10, over a matrix input, a row-vector input and a square
 * weight: the chain rule through broadcasting, reuse of a node and every op family together.
 */
class CompositionProperties {
    private static final int STEPS = 13;

    @Provide
    Arbitrary<Shape> matrices() {
        return net.jqwik.api.Combinators.combine(Operands.dims(), Operands.dims()).as(Shape::of);
    }

    /** One step of a composition: takes the running value h and the inputs x, row, w; keeps h's shape [r, c]. */
    private static Variable step(int op, Variable h, Variable x, Variable row, Variable w) {
        return switch (op) {
            case 0 -> h.tanh();
            case 1 -> h.sigmoid().mul(h);
            case 2 -> h.mul(x).add(row);
            case 3 -> h.matMul(w).mul(0.5).add(h.linear(w, row).mul(0.25));
            case 4 -> h.softplus().sub(h.mul(0.5));
            case 5 -> h.add(h.sum(1, true).mul(0.25)).sub(h.mean(0, true));
            case 6 -> h.square().mul(0.3).add(h);
            case 7 -> h.div(row.square().add(1.0));
            case 8 -> h.mul(h.tanh().exp()).mul(0.5);
            // kinked ops see values clear of their kinks here; OpGradientProperties covers both sides
            case 9 -> h.transpose().transpose().add(h.square().add(0.05).neg().leakyRelu(0.2)).add(h.max(1, true).mul(0.0));
            case 10 -> Variable.concat(1, h, x).narrow(1, 0, h.shape().dim(1)).square().log1p().add(h);
            case 11 -> h.sub(Losses.gaussianKl(h, row, Reduction.NONE).mul(0.1));
            default -> h.matMul(w, false, true).square().add(1.0).sqrt().mul(0.1).add(h.clamp(-100, 100));
        };
    }

    private static Variable compose(int[] plan, Variable[] v) {
        Variable x = v[0];
        Variable row = v[1];
        Variable w = v[2];
        Variable h = x;
        for (int op : plan) {
            h = step(op, h, x, row, w);
        }
        return h;
    }

    @Property(tries = 300)
    void composition_gradientsMatch(@ForAll("matrices") Shape s, @ForAll @IntRange(min = 4, max = 10) int depth,
                                    @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] plan = new int[depth];
        for (int i = 0; i < depth; i++) {
            plan[i] = g.nextInt(STEPS);
        }
        Tensor x = Tensor.uniform(g, 0.1, 1.0, DType.FLOAT64, s.dims());
        Tensor row = Tensor.uniform(g, -1, 1, DType.FLOAT64, s.dim(1));
        Tensor w = Tensor.uniform(g, 0.2, 0.6, DType.FLOAT64, s.dim(1), s.dim(1));
        // the plan must stay inside every op's smooth domain at this point: skip it otherwise
        Tensor forward = compose(plan, new Variable[] {Variable.constant(x), Variable.constant(row),
                Variable.constant(w)}).value();
        net.jqwik.api.Assume.that(isFinite(forward));
        GradCheck.assertGradients(v -> compose(plan, v), g, OpGradientProperties.TOLERANCE, x, row, w);
    }

    private static boolean isFinite(Tensor t) {
        for (double d : t.toDoubleArray()) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 100)
    void composition_float32AgreesWithFloat64(@ForAll("matrices") Shape s, @ForAll long seed) {
        Generator g = new Generator(seed);
        int[] plan = new int[6];
        for (int i = 0; i < plan.length; i++) {
            plan[i] = g.nextInt(9);
        }
        Tensor x = Tensor.uniform(g, 0.1, 1.0, DType.FLOAT64, s.dims());
        Tensor row = Tensor.uniform(g, -1, 1, DType.FLOAT64, s.dim(1));
        Tensor w = Tensor.uniform(g, 0.2, 0.6, DType.FLOAT64, s.dim(1), s.dim(1));
        Tensor[] g64 = gradients(plan, x, row, w);
        Tensor[] g32 = gradients(plan, x.to(DType.FLOAT32), row.to(DType.FLOAT32), w.to(DType.FLOAT32));
        for (int i = 0; i < g64.length; i++) {
            assertTrue(g32[i].dtype() == DType.FLOAT32 && g32[i].allClose(g64[i], 1e-4, 1e-5),
                    "input " + i + ": " + g32[i] + " vs " + g64[i]);
        }
    }

    private static Tensor[] gradients(int[] plan, Tensor... inputs) {
        Variable[] v = new Variable[inputs.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Variable.parameter(inputs[i]);
        }
        compose(plan, v).sum().backward();
        Tensor[] grads = new Tensor[v.length];
        for (int i = 0; i < v.length; i++) {
            grads[i] = v[i].grad() == null ? Tensor.zeros(inputs[i].shape(), inputs[i].dtype()) : v[i].grad();
        }
        return grads;
    }
}
