package org.autodiff4j.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTrainer;
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

/**
 * One round of the default MNIST GAN (generator 100-128-256-512-1024-784, discriminator 784-512-256-1,
 * batch 64, k = 1, instance noise 1.0, real label 0.9): a discriminator step and a generator step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class GanStepBenchmark {
    private GanTrainer trainer;
    private List<Tensor> real;

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        Gan gan = Gan.mlp(GanConfig.mnist(), g);
        trainer = new GanTrainer(gan, 2e-4, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 0.9, 1.0, 0), g);
        real = List.of(Tensor.uniform(g, -1, 1, DType.FLOAT32, 64, 784));
    }

    @Benchmark
    public double step() {
        return trainer.step(real).generatorLoss();
    }
}
