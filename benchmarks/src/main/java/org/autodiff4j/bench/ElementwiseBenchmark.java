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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Activations over a float32 128x500 batch, the VAE's hidden layer. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseBenchmark {
    private Tensor h;
    private Tensor bias;

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        h = Tensor.randn(g, DType.FLOAT32, 128, 500);
        bias = Tensor.randn(g, DType.FLOAT32, 500);
    }

    @Benchmark
    public Tensor tanh() {
        return h.tanh();
    }

    @Benchmark
    public Tensor sigmoid() {
        return h.sigmoid();
    }

    @Benchmark
    public Tensor leakyRelu() {
        return h.leakyRelu(0.2);
    }

    /** The broadcast bias add after every Linear. */
    @Benchmark
    public Tensor biasAdd() {
        return h.add(bias);
    }
}
