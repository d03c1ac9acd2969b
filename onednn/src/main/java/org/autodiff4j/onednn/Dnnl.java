package org.autodiff4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_create_with_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.javacpp.Pointer;

/** Small helpers over oneDNN's C API: status checks and memory descriptors. */
final class Dnnl {
    /** {@code DNNL_MEMORY_ALLOCATE}: a memory object that allocates its own buffer. */
    static final Pointer ALLOCATE = new Pointer() {
        {
            address = -1;
        }
    };

    private Dnnl() {
    }

    /** Whether a oneDNN call succeeded. */
    static boolean ok(int status) {
        return status == dnnl_success;
    }

    /** Throws, naming the call and the shape, when a call that cannot fail on a created plan does. */
    static void check(int status, String call, Object shape) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + call + " failed with status " + status + " for " + shape);
        }
    }

    /** A float32 memory descriptor of the given dimensions and format tag (a layout, or {@code any}). */
    static dnnl_memory_desc desc(long[] dims, int tag) {
        dnnl_memory_desc md = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_tag(md, dims.length, dims, dnnl_f32, tag), "memory_desc_create",
                java.util.Arrays.toString(dims));
        return md;
    }
}
