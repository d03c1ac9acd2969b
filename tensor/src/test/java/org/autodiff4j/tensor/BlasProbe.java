package org.autodiff4j.tensor;

/** A child JVM's view of the BLAS route: prints the route and the sum of a fixed 64x64 product. */
public final class BlasProbe {
    private BlasProbe() {
    }

    public static void main(String[] args) {
        Tensor a = Tensor.randn(new Generator(1), DType.FLOAT32, 64, 64);
        Tensor b = Tensor.randn(new Generator(2), DType.FLOAT32, 64, 64);
        if (Boolean.getBoolean("autodiff4j.probe.describe")) {
            System.out.println(Blas.describe());
        }
        System.out.println(Blas.route() + " " + a.matMul(b).to(DType.FLOAT64).sum().item());
    }
}
