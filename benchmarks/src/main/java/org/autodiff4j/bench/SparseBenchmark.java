package org.autodiff4j.bench;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.autodiff4j.tensor.BinaryRows;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first layer of the default VAE on binary input, x [128, 784] with the given fraction of ones and
 * a float32 weight [500, 784]: the forward {@code x W^T + b} and the weight gradient {@code G^T x} by
 * gemm against the sparse kernels of {@link BinaryRows}. Where the sparse times fall under the dense
 * ones is where {@link BinaryRows#DEFAULT_MAX_DENSITY} belongs. {@code scan} is what the check costs
 * every layer whose input is binary but too dense (it gives up at the threshold's count of ones).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SparseBenchmark {
    @Param({"0.01", "0.02", "0.03", "0.05", "0.08", "0.13", "0.25", "0.5"})
    public double density;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor g;
    private BinaryRows ones;

    @Setup
    public void setup() {
        Generator r = new Generator(0);
        float[] v = new float[128 * 784];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < density ? 1 : 0;
        }
        x = Tensor.of(v, 128, 784);
        w = Tensor.randn(r, DType.FLOAT32, 500, 784);
        b = Tensor.randn(r, DType.FLOAT32, 500);
        g = Tensor.randn(r, DType.FLOAT32, 128, 500);
        ones = BinaryRows.of(x, 1).orElseThrow();
    }

    /** x W^T + b by gemm. */
    @Benchmark
    public Tensor denseLinear() {
        return x.linear(w, b);
    }

    /** x W^T + b from x's ones, finding them included. */
    @Benchmark
    public Tensor sparseLinear() {
        return BinaryRows.of(x, 1).orElseThrow().linear(w, b);
    }

    /** G^T x by gemm. */
    @Benchmark
    public Tensor denseWeightGradient() {
        return g.matMul(x, true, false);
    }

    /** G^T x from x's ones (found by the forward). */
    @Benchmark
    public Tensor sparseWeightGradient() {
        return ones.transposeTimes(g);
    }

    /** The check the layer makes on every input: {@link BinaryRows#whenSparse}. */
    @Benchmark
    public Optional<BinaryRows> scan() {
        return BinaryRows.whenSparse(x);
    }
}
