package org.autodiff4j.examples;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.concurrent.Callable;

import org.autodiff4j.tensor.BinaryRows;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Convolutions;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Parallelism;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.tensor.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Versions, the BLAS in use with its measured matrix-product rate, and the thread settings. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show versions, the BLAS backend and its measured sgemm rate, and threads.")
final class Info implements Callable<Integer> {
    @Option(names = "--size", description = "matrix size for the sgemm measurement (default: ${DEFAULT-VALUE})")
    int size = 1024;

    private final PrintStream out;

    Info(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (size < 16) {
            throw new IllegalArgumentException("--size must be at least 16, got " + size);
        }
        out.println("autodiff4j " + Version.get());
        out.println("java       " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        out.println("os         " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors");
        out.println("blas       " + Blas.describe());
        out.println("conv       " + Convolutions.describe() + " (-Dautodiff4j.conv=auto|gemm|onednn)");
        String threads = System.getenv("OPENBLAS_NUM_THREADS");
        out.println("threads    elementwise " + Parallelism.threads() + " (-Dautodiff4j.threads), BLAS OPENBLAS_NUM_THREADS="
                + (threads == null ? "(unset: OpenBLAS uses every core)" : threads));
        out.printf("sparse     linear layers on 0/1 input with at most %s%% ones (-Dautodiff4j.sparse.maxDensity)%n",
                BigDecimal.valueOf(100 * BinaryRows.maxDensity()).stripTrailingZeros().toPlainString());
        out.printf("sgemm      %.1f GFLOPS (%dx%d by %dx%d, float32, best of 10)%n", sgemmRate(size), size, size, size, size);
        return 0;
    }

    /** The best rate of ten square float32 products through the tensor API, after a warm-up. */
    private static double sgemmRate(int n) {
        Generator g = new Generator(0);
        Tensor a = Tensor.randn(g, DType.FLOAT32, n, n);
        Tensor b = Tensor.randn(g, DType.FLOAT32, n, n);
        a.matMul(b);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            a.matMul(b);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
