package org.autodiff4j.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
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

/**
 * The elementwise work of a training step outside the products, at the VAE's shapes (float32): an
 * activation's forward and backward over a 128x500 hidden layer, the binary cross-entropy with logits
 * over a 128x784 batch, and one Adam step over the 784x500 decoder weight and its bias.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class BackwardBenchmark {
    private Variable hidden;
    private Tensor upstream;
    private Variable logits;
    private Variable targets;
    private Adam adam;

    @Setup
    public void setup() {
        Generator g = new Generator(0);
        hidden = Variable.parameter(Tensor.randn(g, DType.FLOAT32, 128, 500));
        upstream = Tensor.randn(g, DType.FLOAT32, 128, 500);
        logits = Variable.parameter(Tensor.randn(g, DType.FLOAT32, 128, 784));
        targets = Variable.constant(Tensor.rand(g, DType.FLOAT32, 128, 784).map(Elementwise.unary(p -> p < 0.13 ? 1.0 : 0.0)));
        Variable w = Variable.parameter(Tensor.randn(g, DType.FLOAT32, 784, 500));
        Variable b = Variable.parameter(Tensor.randn(g, DType.FLOAT32, 784));
        w.backward(Tensor.randn(g, DType.FLOAT32, 784, 500));
        b.backward(Tensor.randn(g, DType.FLOAT32, 784));
        adam = new Adam(List.of(w, b), 1e-3);
    }

    @Benchmark
    public Tensor tanh() {
        hidden.zeroGrad();
        hidden.tanh().backward(upstream);
        return hidden.grad();
    }

    @Benchmark
    public Tensor sigmoid() {
        hidden.zeroGrad();
        hidden.sigmoid().backward(upstream);
        return hidden.grad();
    }

    @Benchmark
    public Tensor leakyRelu() {
        hidden.zeroGrad();
        hidden.leakyRelu(0.2).backward(upstream);
        return hidden.grad();
    }

    /** The Bernoulli decoder's loss, summed as the ELBO sums it. */
    @Benchmark
    public Tensor bceWithLogits() {
        logits.zeroGrad();
        Losses.bceWithLogits(logits, targets, Reduction.SUM).backward();
        return logits.grad();
    }

    /** The gradients stay as they are, so every call is a full step on the same two parameters. */
    @Benchmark
    public long adamStep() {
        adam.step();
        return adam.steps();
    }
}
