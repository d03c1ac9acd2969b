package org.autodiff4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.autodiff4j.tensor.ConvolutionShape;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One convolution primitive (forward, data gradient or weight gradient) for one shape, with everything a call needs
 * made once: the layouts oneDNN chose for its fastest kernel ({@code any}), memories in PyTorch's plain layout for the
 * two inputs and the output (their buffers are the thread's {@link Scratch}), and the reorders between the two
 * layouts. A call copies the Java arrays in, reorders, runs the kernel, reorders the output back and copies it out.
 * Used by one thread.
 */
final class Plan implements AutoCloseable {
    /** The most image channels for which the data gradient takes the output gradient in PyTorch's layout. */
    static final int PLAIN_DATA_CHANNELS = 8;

    /** Which of the three computations. */
    enum Kind { FORWARD, DATA, WEIGHTS }

    /**
     * One argument in the kernel's layout. An image or gradient arrives in a native buffer in PyTorch's layout and
     * oneDNN reorders it (or the kernel reads that buffer itself); a weight is scattered into the kernel's blocked
     * layout here, by offsets read from the layout, since oneDNN 3.3.4's reorder of weights whose channels do not
     * fill a block reads past them on this machine (see {@link Layout}).
     */
    private static final class Binding {
        final int arg;
        /** A weight's own buffer in the kernel's layout; null for an image, whose plain buffer is the thread's. */
        final FloatPointer buffer;
        /** The floats of the plain layout. */
        final long floats;
        final dnnl_memory plain;
        final dnnl_memory kernel;
        final dnnl_primitive reorder;
        final int[] offsets;
        final float[] staging;
        /** The kernel's layout, owned by the plan's primitive descriptor. */
        final dnnl_memory_desc kernelDesc;
        /** An input weight's values in {@link #buffer}, in the plain layout; null for the others. */
        final float[] loaded;
        /** Whether {@link #buffer} holds {@link #loaded}. */
        boolean current;

        Binding(int arg, FloatPointer buffer, long floats, dnnl_memory plain, dnnl_memory kernel, dnnl_primitive reorder,
                int[] offsets, float[] staging, float[] loaded, dnnl_memory_desc kernelDesc) {
            this.arg = arg;
            this.buffer = buffer;
            this.floats = floats;
            this.plain = plain;
            this.kernel = kernel;
            this.reorder = reorder;
            this.offsets = offsets;
            this.staging = staging;
            this.loaded = loaded;
            this.kernelDesc = kernelDesc;
        }
    }

    private final ConvolutionShape shape;
    private final Kind kind;
    private final dnnl_primitive primitive;
    private final Binding first;
    private final Binding second;
    private final Binding output;
    private final dnnl_exec_arg_t args;
    private final dnnl_exec_arg_t reorderArgs;
    private final String implementation;
    private final List<Object> owned = new ArrayList<>();

    /** Plans made and not yet closed, in this JVM. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private Plan(ConvolutionShape shape, Kind kind, dnnl_primitive primitive, Binding first, Binding second,
                 Binding output, String implementation) {
        this.shape = shape;
        this.kind = kind;
        this.primitive = primitive;
        this.first = first;
        this.second = second;
        this.output = output;
        this.implementation = implementation;
        this.args = new dnnl_exec_arg_t(3);
        bind(args, 0, first.arg, first.kernel);
        bind(args, 1, second.arg, second.kernel);
        bind(args, 2, output.arg, output.kernel);
        this.reorderArgs = new dnnl_exec_arg_t(2);
    }

    /**
     * The plan for one computation of one shape, or null when oneDNN has no kernel for it (then unfold + gemm serves).
     */
    static Plan create(dnnl_engine engine, ConvolutionShape s, Kind kind) {
        long[] src = {s.n(), s.c(), s.h(), s.w()};
        long[] wei = {s.f(), s.c(), s.kh(), s.kw()};
        long[] dst = {s.n(), s.f(), s.oh(), s.ow()};
        long[] strides = {s.sh(), s.sw()};
        long[] dilates = {s.dh() - 1, s.dw() - 1};      // oneDNN counts the gaps: 0 is a dense kernel
        long[] left = {s.ph(), s.pw()};
        // the right padding that makes the output size exact, as oneDNN requires (rounding down is implicit here)
        long[] right = {(long) (s.oh() - 1) * s.sh() + (long) s.dh() * (s.kh() - 1) + 1 - s.h() - s.ph(),
            (long) (s.ow() - 1) * s.sw() + (long) s.dw() * (s.kw() - 1) + 1 - s.w() - s.pw()};
        dnnl_memory_desc anySrc = Dnnl.desc(src, dnnl_format_tag_any);
        dnnl_memory_desc anyWei = Dnnl.desc(wei, dnnl_format_tag_any);
        dnnl_memory_desc anyDst = Dnnl.desc(dst, dnnl_format_tag_any);
        // NOTE: the data gradient of a convolution over few channels (a transposed convolution to an image) takes the
        // output gradient in PyTorch's layout, which gives oneDNN's gemm kernel: with any layout the blocked kernel
        // pads C to 16 channels and took 1.26 ms for the DCGAN's last layer ([64, 64, 14, 14] to [64, 1, 28, 28]),
        // against 0.25 ms (whole route calls, best of 5 x 50). C = 3, 4 and 8: 1.64, 1.22, 1.27 ms against 0.57, 0.55,
        // 1.02; C = 16: 1.39 against 1.95, so from there on the blocked kernel stays. The forward and weight gradient
        // were as fast or slower in PyTorch's layout at every C measured, so they keep any layout.
        dnnl_memory_desc dataDst = kind == Kind.DATA && s.c() <= PLAIN_DATA_CHANNELS ? Dnnl.desc(dst, dnnl_nchw)
                : anyDst;
        dnnl_primitive_desc forward = new dnnl_primitive_desc();
        dnnl_primitive_desc pd = forward;
        try {
            if (!Dnnl.ok(dnnl_convolution_forward_primitive_desc_create(forward, engine, dnnl_forward_training,
                    dnnl_convolution_direct, anySrc, anyWei, null, anyDst, strides, dilates, left, right, null))) {
                return null;
            }
            if (kind == Kind.DATA) {
                pd = new dnnl_primitive_desc();
                if (!Dnnl.ok(dnnl_convolution_backward_data_primitive_desc_create(pd, engine, dnnl_convolution_direct,
                        anySrc, anyWei, dataDst, strides, dilates, left, right, forward, null))) {
                    dnnl_primitive_desc_destroy(forward);
                    return null;
                }
            } else if (kind == Kind.WEIGHTS) {
                pd = new dnnl_primitive_desc();
                if (!Dnnl.ok(dnnl_convolution_backward_weights_primitive_desc_create(pd, engine,
                        dnnl_convolution_direct, anySrc, anyWei, null, anyDst, strides, dilates, left, right, forward,
                        null))) {
                    dnnl_primitive_desc_destroy(forward);
                    return null;
                }
            }
        } finally {
            dnnl_memory_desc_destroy(anySrc);
            dnnl_memory_desc_destroy(anyWei);
            dnnl_memory_desc_destroy(anyDst);
            if (dataDst != anyDst) {
                dnnl_memory_desc_destroy(dataDst);
            }
        }
        dnnl_primitive primitive = new dnnl_primitive();
        Dnnl.check(dnnl_primitive_create(primitive, pd), "primitive_create", s);
        Binding a;
        Binding b;
        Binding out;
        switch (kind) {
            case FORWARD -> {
                a = binding(engine, pd, DNNL_ARG_SRC, dnnl_query_src_md, src, dnnl_nchw, true, s);
                b = binding(engine, pd, DNNL_ARG_WEIGHTS, dnnl_query_weights_md, wei, dnnl_oihw, true, s);
                out = binding(engine, pd, DNNL_ARG_DST, dnnl_query_dst_md, dst, dnnl_nchw, false, s);
            }
            case DATA -> {
                a = binding(engine, pd, DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md, dst, dnnl_nchw, true, s);
                b = binding(engine, pd, DNNL_ARG_WEIGHTS, dnnl_query_weights_md, wei, dnnl_oihw, true, s);
                out = binding(engine, pd, DNNL_ARG_DIFF_SRC, dnnl_query_diff_src_md, src, dnnl_nchw, false, s);
            }
            default -> {
                a = binding(engine, pd, DNNL_ARG_SRC, dnnl_query_src_md, src, dnnl_nchw, true, s);
                b = binding(engine, pd, DNNL_ARG_DIFF_DST, dnnl_query_diff_dst_md, dst, dnnl_nchw, true, s);
                out = binding(engine, pd, DNNL_ARG_DIFF_WEIGHTS, dnnl_query_diff_weights_md, wei, dnnl_oihw, false, s);
            }
        }
        Plan plan = new Plan(s, kind, primitive, a, b, out, implementation(pd));
        OPEN.incrementAndGet();
        plan.owned.add(pd);
        if (pd != forward) {
            plan.owned.add(forward);
        }
        return plan;
    }

    private static Binding binding(dnnl_engine engine, dnnl_primitive_desc pd, int arg, int query, long[] dims,
                                   int plainTag, boolean input, ConvolutionShape s) {
        dnnl_memory_desc plainDesc = Dnnl.desc(dims, plainTag);
        dnnl_memory_desc kernelDesc = dnnl_primitive_desc_query_md(pd, query, 0);
        boolean same = dnnl_memory_desc_equal(plainDesc, kernelDesc) != 0;
        // NOTE: by the argument, not the tag: oihw and nchw are one tag (abcd), and testing the tag sent every image
        // through the Java scatter below: 300 DCGAN steps spent about 7 s there, where oneDNN's reorder takes well
        // under one (OneDnnRouteProperties checks images whose channels do not fill a block through it)
        boolean weights = arg == DNNL_ARG_WEIGHTS || arg == DNNL_ARG_DIFF_WEIGHTS;
        if (weights && !same) {
            // NOTE: oneDNN 3.3.4's jit:uni reorder into a blocked weight layout whose channels do not fill their
            // blocks reads past the array here (AMD EPYC, AVX-512): F 16 x C 17 x 2 x 2 weights lost 48 values, F 5 x
            // C 4 gained 131 that were not there, and every convolution over such channels was wrong
            // (OneDnnRouteProperties found it). The layout's own description places them instead. Weights that fill
            // their blocks could take the reorder, but it was slower than this scatter: 0.10 ms per [128, 64, 4, 4]
            // (jit:uni) and 0.07 ms per [64, 1, 4, 4], 1.4 ms per DCGAN step (ONEDNN_VERBOSE, 100 steps).
            long floats = dnnl_memory_desc_get_size(kernelDesc) / Float.BYTES;
            FloatPointer buffer = new FloatPointer(floats);
            buffer.zero();
            dnnl_memory kernel = new dnnl_memory();
            Dnnl.check(dnnl_memory_create(kernel, kernelDesc, engine, buffer), "memory_create", s);
            dnnl_memory_desc_destroy(plainDesc);
            int[] offsets = Layout.offsets(kernelDesc, dims);
            return new Binding(arg, buffer, floats, null, kernel, null, offsets, new float[Math.toIntExact(floats)],
                    input ? new float[offsets.length] : null, kernelDesc);
        }
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        dnnl_memory plain = new dnnl_memory();      // its buffer is one of the thread's Scratch, set at each call
        Dnnl.check(dnnl_memory_create(plain, plainDesc, engine, null), "memory_create", s);
        if (same) {
            dnnl_memory_desc_destroy(plainDesc);
            return new Binding(arg, null, size, plain, plain, null, null, null, null, kernelDesc);
        }
        dnnl_memory kernel = new dnnl_memory();
        Dnnl.check(dnnl_memory_create(kernel, kernelDesc, engine, Dnnl.ALLOCATE), "memory_create", s);
        dnnl_primitive_desc rpd = new dnnl_primitive_desc();
        Dnnl.check(input ? dnnl_reorder_primitive_desc_create(rpd, plainDesc, engine, kernelDesc, engine, null)
                : dnnl_reorder_primitive_desc_create(rpd, kernelDesc, engine, plainDesc, engine, null),
                "reorder_primitive_desc_create", s);
        dnnl_primitive reorder = new dnnl_primitive();
        Dnnl.check(dnnl_primitive_create(reorder, rpd), "primitive_create (reorder)", s);
        dnnl_primitive_desc_destroy(rpd);
        dnnl_memory_desc_destroy(plainDesc);
        return new Binding(arg, null, size, plain, kernel, reorder, null, null, null, kernelDesc);
    }

    /** The name of the implementation a primitive descriptor stands for, as {@code jit:avx512_core}. */
    private static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> info = new PointerPointer<>(1);
        return Dnnl.ok(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info))
                ? info.get(BytePointer.class, 0).getString() : "?";
    }

    private static void bind(dnnl_exec_arg_t args, int i, int arg, dnnl_memory memory) {
        args.position(i).arg(arg).memory(memory);
        args.position(0);
    }

    /** Which kernel oneDNN picked, as {@code jit:avx512_core}. */
    String implementation() {
        return implementation;
    }

    /**
     * Runs the computation: a and b are the two inputs (forward: images and weight; data: output gradient and
     * weight; weights: images and output gradient), out the result, all in PyTorch's plain layout.
     */
    void run(dnnl_stream stream, Scratch scratch, float[] a, float[] b, float[] out) {
        load(stream, first, scratch, 0, a);
        load(stream, second, scratch, 1, b);
        finish(stream, scratch, out);
    }

    /**
     * Runs the computation with input i (0 or 1) already in the kernel's layout in {@code prepared}, another plan's
     * {@link #prepared} memory in {@link #sameLayout the same layout}, and the other input from {@code other}.
     */
    void run(dnnl_stream stream, Scratch scratch, int i, dnnl_memory prepared, float[] other, float[] out) {
        Binding own = i == 0 ? first : second;
        bind(args, i, own.arg, prepared);
        try {
            if (i == 0) {
                load(stream, second, scratch, 1, other);
            } else {
                load(stream, first, scratch, 0, other);
            }
            finish(stream, scratch, out);
        } finally {
            bind(args, i, own.arg, own.kernel);
        }
    }

    /**
     * Input i's values from the last call in the kernel's layout, in memory of this plan's own (valid until its next
     * call), or null when the kernel reads the thread's plain buffer or a weight's.
     */
    dnnl_memory prepared(int i) {
        Binding b = i == 0 ? first : second;
        return b.reorder != null ? b.kernel : null;
    }

    /** Whether input i here and input j of the other plan take the same layout. */
    boolean sameLayout(int i, Plan other, int j) {
        Binding a = i == 0 ? first : second;
        Binding b = j == 0 ? other.first : other.second;
        return dnnl_memory_desc_equal(a.kernelDesc, b.kernelDesc) != 0;
    }

    /** Executes the primitive on the inputs bound and copies the output out. */
    private void finish(dnnl_stream stream, Scratch scratch, float[] out) {
        FloatPointer plainOut = output.offsets == null ? scratch.bind(2, output) : null;
        Dnnl.check(dnnl_primitive_execute(primitive, stream, 3, args), kind + " execute", shape);
        if (output.reorder != null) {
            reorder(stream, output.reorder, output.kernel, output.plain);
        }
        Dnnl.check(dnnl_stream_wait(stream), "stream_wait", shape);
        if (output.offsets == null) {
            plainOut.get(out);
        } else {
            float[] staging = output.staging;
            output.buffer.get(staging);
            int[] offsets = output.offsets;
            for (int i = 0; i < out.length; i++) {
                out[i] = staging[offsets[i]];
            }
        }
    }

    private void load(dnnl_stream stream, Binding binding, Scratch scratch, int slot, float[] values) {
        if (binding.offsets != null) {
            // NOTE: a weight is used by several calls between two optimiser steps (the DCGAN discriminator's on real
            // and on fake images, forward and back), so the buffer is kept when the values are the same, bit for bit;
            // the comparison fails at the first value after a step
            if (binding.current && Arrays.equals(values, binding.loaded)) {
                return;
            }
            binding.current = false;
            float[] staging = binding.staging;      // its padding stays zero: only the offsets are ever written
            int[] offsets = binding.offsets;
            for (int i = 0; i < values.length; i++) {
                staging[offsets[i]] = values[i];
            }
            binding.buffer.put(staging);
            System.arraycopy(values, 0, binding.loaded, 0, values.length);
            binding.current = true;
            return;
        }
        scratch.bind(slot, binding).put(values);
        if (binding.reorder != null) {
            reorder(stream, binding.reorder, binding.plain, binding.kernel);
        }
    }

    private void reorder(dnnl_stream stream, dnnl_primitive reorder, dnnl_memory from, dnnl_memory to) {
        bind(reorderArgs, 0, DNNL_ARG_FROM, from);
        bind(reorderArgs, 1, DNNL_ARG_TO, to);
        Dnnl.check(dnnl_primitive_execute(reorder, stream, 2, reorderArgs), "reorder", shape);
    }

    /**
     * The native buffers in PyTorch's plain layout that all plans of one thread share, since a call uses at most three
     * at once (two inputs, one output): slot i grows to the largest array it has held. One buffer per plan and
     * argument instead held every shape's arrays at once: peak RSS of 300 DCGAN steps 672 -> 656 MB, of 2 conv VAE
     * epochs 572 -> 542 MB (PeerRun, 3 and 2 alternating runs, medians; the times within their spread).
     */
    static final class Scratch implements AutoCloseable {
        private final FloatPointer[] slots = new FloatPointer[3];

        /** Points the binding's plain memory at slot {@code i}, grown to its size, and returns the slot. */
        FloatPointer bind(int i, Binding binding) {
            FloatPointer p = slots[i];
            if (p == null || p.capacity() < binding.floats) {
                if (p != null) {
                    p.close();
                }
                p = new FloatPointer(binding.floats);
                slots[i] = p;
            }
            Dnnl.check(dnnl_memory_set_data_handle(binding.plain, p), "memory_set_data_handle", "a plain buffer");
            return p;
        }

        @Override
        public void close() {
            for (FloatPointer p : slots) {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    @Override
    public void close() {
        for (Binding binding : new Binding[] {first, second, output}) {
            if (binding.reorder != null) {
                dnnl_primitive_destroy(binding.reorder);
            }
            if (binding.kernel != binding.plain) {
                dnnl_memory_destroy(binding.kernel);
            }
            if (binding.plain != null) {
                dnnl_memory_destroy(binding.plain);
            }
            if (binding.buffer != null) {
                binding.buffer.close();
            }
        }
        dnnl_primitive_destroy(primitive);
        for (Object o : owned) {
            dnnl_primitive_desc_destroy((dnnl_primitive_desc) o);
        }
        args.close();
        reorderArgs.close();
        OPEN.decrementAndGet();
    }

    /** The number of plans made and not yet closed, in this JVM. */
    static int open() {
        return OPEN.get();
    }
}
