package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Jacobi eigendecomposition: it reassembles the matrix, its vectors are orthonormal, its square root squares back. */
class SymmetricEigenTest {
    private static double maxAbs(Tensor t) {
        return t.abs().max(new int[0], false).item();
    }

    @Test
    void decomposition_reassemblesTheMatrixWithOrthonormalVectors() {
        for (int n : new int[] {1, 2, 3, 7, 40, 128}) {
            Tensor b = Tensor.randn(new Generator(n), DType.FLOAT64, n, n);
            Tensor a = b.add(b.transpose(0, 1));
            SymmetricEigen e = SymmetricEigen.of(a);
            Tensor v = e.vectors();
            double[] w = e.values().toDoubleArray();
            for (int i = 1; i < n; i++) {
                assertTrue(w[i - 1] <= w[i], "ascending");
            }
            Tensor back = v.mul(e.values().reshape(1, n)).matMul(v.transpose(0, 1));
            assertTrue(maxAbs(back.sub(a)) < 1e-11 * n * maxAbs(a), "n = " + n + ": " + maxAbs(back.sub(a)));
            assertTrue(maxAbs(v.transpose(0, 1).matMul(v).sub(Tensor.eye(n, DType.FLOAT64))) < 1e-12 * n, "orthonormal");
        }
    }

    @Test
    void knownSpectra_andRepeatedOrZeroEigenvalues() {
        SymmetricEigen e = SymmetricEigen.of(Tensor.of(new double[] {2, 1, 1, 2}, 2, 2));
        assertEquals(1.0, e.values().get(0), 1e-15);
        assertEquals(3.0, e.values().get(1), 1e-15);
        SymmetricEigen identity = SymmetricEigen.of(Tensor.eye(5, DType.FLOAT64).mul(4.0));
        assertTrue(maxAbs(identity.sqrt().sub(Tensor.eye(5, DType.FLOAT64).mul(2.0))) < 1e-15);
        // a rank-2 covariance of 6 dimensions: square root of a singular matrix
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 2, 6);
        Tensor cov = x.transpose(0, 1).matMul(x);
        Tensor root = SymmetricEigen.of(cov).sqrt();
        assertTrue(maxAbs(root.matMul(root).sub(cov)) < 1e-12 * maxAbs(cov), "square root of a singular matrix");
        assertTrue(maxAbs(root.sub(root.transpose(0, 1))) < 1e-14, "symmetric");
    }

    @Test
    void badInput_isNamed() {
        assertEquals("SymmetricEigen: needs a square matrix, got [2, 3]", assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(Tensor.zeros(DType.FLOAT64, 2, 3))).getMessage());
        assertEquals("SymmetricEigen: not symmetric: [0, 1] is 1.0, [1, 0] is 2.0", assertThrows(
                IllegalArgumentException.class, () -> SymmetricEigen.of(Tensor.of(new double[] {0, 1, 2, 0}, 2, 2)))
                .getMessage());
        assertEquals("SymmetricEigen: entry [1, 1] is NaN", assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(Tensor.of(new double[] {0, 1, 1, Double.NaN}, 2, 2))).getMessage());
    }
}
