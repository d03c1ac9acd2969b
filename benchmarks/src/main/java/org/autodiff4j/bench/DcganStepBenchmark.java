package org.autodiff4j.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.models.gan.Dcgan;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.nn.Functional;
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
 * The DCGAN at its own shapes (batch 64, 28x28, {@link Dcgan}): one training round (a discriminator step on 64 real
 * and 64 fake images, then a generator step), and the discriminator's second convolution (64 to 128 channels, 4x4,
 * stride 2, 14x14 to 7x7) forward and forward with backward: benchmarks/pytorch/dcgan.py times the same round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmn128m", "-XX:SurvivorRatio=3",
        "-XX:-UseAdaptiveSizePolicy"})
public class DcganStepBenchmark {
    private GanTrainer trainer;
    private List<Tensor> real;
    private Variable x;
    private Variable weight;
    private Variable bias;
    private final Window window = Window.square(4, 1, 2);

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        Gan gan = Dcgan.of(100, 1, 28, g);
        trainer = new GanTrainer(gan, 2e-4, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0), g);
        real = List.of(Tensor.uniform(g, -1, 1, DType.FLOAT32, 64, 1, 28, 28));
        x = Variable.parameter(Tensor.randn(g, DType.FLOAT32, 64, 64, 14, 14));
        weight = Variable.parameter(Tensor.randn(g, DType.FLOAT32, 128, 64, 4, 4).mul(0.02));
        bias = Variable.parameter(Tensor.zeros(DType.FLOAT32, 128));
    }

    @Benchmark
    public double round() {
        return trainer.step(real).generatorLoss();
    }

    @Benchmark
    public Tensor convForward() {
        return Functional.conv2d(Variable.constant(x.value()), Variable.constant(weight.value()),
                Variable.constant(bias.value()), window, 1).value();
    }

    @Benchmark
    public Tensor convForwardBackward() {
        x.zeroGrad();
        weight.zeroGrad();
        bias.zeroGrad();
        Functional.conv2d(x, weight, bias, window, 1).sum().backward();
        return weight.grad();
    }
}
