package org.autodiff4j.bench;

import java.util.concurrent.TimeUnit;

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
 * Matrix products through the tensor API at the default VAE's shapes: the encoder's forward
 * (128x784)(784x500), the decoder's (128x500)(500x784), and the weight gradient (784x128)(128x500),
 * which is {@code A^T G} with the transpose done by a gemm flag. GFLOPS = 2 m n k / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatMulBenchmark {
    @Param({"FLOAT32", "FLOAT64"})
    public DType dtype;

    private Tensor x784;
    private Tensor w784x500;
    private Tensor h500;
    private Tensor w500x784;
    private Tensor g500;

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        x784 = Tensor.randn(g, dtype, 128, 784);
        w784x500 = Tensor.randn(g, dtype, 784, 500);
        h500 = Tensor.randn(g, dtype, 128, 500);
        w500x784 = Tensor.randn(g, dtype, 500, 784);
        g500 = Tensor.randn(g, dtype, 128, 500);
    }

    /** (128x784)(784x500). */
    @Benchmark
    public Tensor encoderForward() {
        return x784.matMul(w784x500);
    }

    /** (128x500)(500x784). */
    @Benchmark
    public Tensor decoderForward() {
        return h500.matMul(w500x784);
    }

    /** (784x128)(128x500) as x^T g with the transpose flag. */
    @Benchmark
    public Tensor weightGradient() {
        return x784.matMul(g500, true, false);
    }
}
