package org.autodiff4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_inner_blks;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_inner_idxs;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_inner_nblks_s32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_strides;

import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Where each element of a row-major array lands in one of oneDNN's blocked layouts, read from the layout's
 * description (strides of the outer dimensions, then the inner blocks, innermost last), as oneDNN's own
 * {@code memory_desc_wrapper::off_v} computes it. Used to put weights into a kernel's layout without oneDNN's reorder.
 */
final class Layout {
    private Layout() {
    }

    /**
     * For every index of a dense row-major array of the given dimensions, its offset in floats in the layout.
     *
     * @param md a blocked memory descriptor of those dimensions
     * @param dims the logical dimensions
     * @return the offsets, one per element in row-major order
     */
    static int[] offsets(dnnl_memory_desc md, long[] dims) {
        int nd = dims.length;
        long[] strides = dimsQuery(md, dnnl_query_strides, nd);
        IntPointer count = new IntPointer(1);
        Dnnl.check(dnnl_memory_desc_query(md, dnnl_query_inner_nblks_s32, count), "memory_desc_query", "inner blocks");
        int nblks = count.get();
        long[] blks = dimsQuery(md, dnnl_query_inner_blks, nblks);
        long[] idxs = dimsQuery(md, dnnl_query_inner_idxs, nblks);
        int size = 1;
        for (long d : dims) {
            size *= (int) d;
        }
        int[] out = new int[size];
        long[] pos = new long[nd];
        for (int i = 0; i < size; i++) {
            long rest = i;
            for (int d = nd - 1; d >= 0; d--) {
                pos[d] = rest % dims[d];
                rest /= dims[d];
            }
            long offset = 0;
            long blockStride = 1;
            long[] outer = pos.clone();
            for (int b = nblks - 1; b >= 0; b--) {
                int d = (int) idxs[b];
                offset += (outer[d] % blks[b]) * blockStride;
                outer[d] /= blks[b];
                blockStride *= blks[b];
            }
            for (int d = 0; d < nd; d++) {
                offset += outer[d] * strides[d];
            }
            out[i] = Math.toIntExact(offset);
        }
        return out;
    }

    private static long[] dimsQuery(dnnl_memory_desc md, int what, int n) {
        long[] out = new long[n];
        if (n == 0) {
            return out;
        }
        PointerPointer<LongPointer> result = new PointerPointer<>(1);
        Dnnl.check(dnnl_memory_desc_query(md, what, result), "memory_desc_query", "layout " + what);
        LongPointer values = result.get(LongPointer.class, 0).capacity(n);
        values.get(out);
        return out;
    }
}
