package org.autodiff4j.tensor;

/** Element type of a tensor: FLOAT32 for training, FLOAT64 for gradient checks. */
public enum DType {
    /** IEEE 754 single precision, 4 bytes per element. */
    FLOAT32(4),
    /** IEEE 754 double precision, 8 bytes per element. */
    FLOAT64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /**
     * Bytes per element.
     *
     * @return bytes per element
     */
    public int bytes() {
        return bytes;
    }

    /**
     * The wider of two types: the type a binary op between them computes in (PyTorch's promotion).
     *
     * @param a one type
     * @param b the other type
     * @return the wider of the two types
     */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }
}
