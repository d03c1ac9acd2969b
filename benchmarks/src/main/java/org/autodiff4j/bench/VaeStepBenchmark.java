package org.autodiff4j.bench;

import java.util.concurrent.TimeUnit;

import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.tensor.Elementwise;
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

/** One full training step of the default VAE (784-500-20, batch 128): forward, backward, Adam. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class VaeStepBenchmark {
    private Vae vae;
    private Adam adam;
    private Tensor batch;
    private Generator g;

    @Setup
    public void setup() {
        g = new Generator(0);
        vae = new Vae(VaeConfig.defaults(), g);
        adam = new Adam(vae.parameters(), 1e-3);
        batch = Tensor.rand(g, DType.FLOAT32, 128, 784).map(Elementwise.unary(p -> p < 0.13 ? 1.0 : 0.0));
    }

    @Benchmark
    public double step() {
        adam.zeroGrad();
        Vae.Elbo elbo = vae.loss(batch, g);
        elbo.loss().backward();
        adam.step();
        return elbo.reconstruction();
    }
}
