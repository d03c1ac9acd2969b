package org.autodiff4j.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_version;

import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.autodiff4j.tensor.ConvolutionRoute;
import org.autodiff4j.tensor.ConvolutionShape;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.Loader;

/**
 * Float32 2-D convolutions and their gradients on oneDNN's kernels (the library PyTorch's CPU convolutions use),
 * through JavaCPP's build of oneDNN 3.3.4 for linux-x86_64. {@code autodiff4j-tensor}'s {@code Convolutions} finds
 * this route on the class path by itself ({@code -Dautodiff4j.conv=onednn} asks for it, {@code =gemm} turns it off).
 * oneDNN picks the layout its fastest kernel wants for each shape (blocked by 8 or 16 channels on AVX2 and AVX-512);
 * each call reorders PyTorch's plain layout into it and back. The data gradient towards at most 8 channels (a
 * transposed convolution to an image) keeps the plain layout, where oneDNN's gemm kernel is about 4x faster. Its
 * threads are OpenMP's: {@code OMP_NUM_THREADS}, else every core; set {@code OMP_WAIT_POLICY=PASSIVE} (the launcher
 * does), or they spin after each convolution and slow the elementwise work that follows. Plans (kernels, buffers,
 * reorders) are made once per shape and thread and kept for the 64 shapes a thread used last; a thread's are freed
 * after it ends (at a later garbage collection). Memory grows with the number of threads that run convolutions, so
 * call from few threads: oneDNN's own threads do the parallel work.
 */
public final class OneDnnRoute implements ConvolutionRoute {
    private static final int PLANS_PER_THREAD = 64;

    private static volatile String unavailable;
    private static volatile boolean checked;
    private static dnnl_engine engine;

    /** Closes the plans, buffers and stream of threads that have ended. */
    private static final Cleaner CLEANER = Cleaner.create();

    private static final ThreadLocal<Handle> THREAD = ThreadLocal.withInitial(() -> {
        ThreadState state = new ThreadState();
        Handle handle = new Handle(state);
        CLEANER.register(handle, state);
        return handle;
    });

    /**
     * What one thread's calls use: a oneDNN stream, the plain-layout buffers and the plans of the 64 shapes it used
     * last. Held through a {@link Handle} in a thread-local, so that it is closed once its thread has ended.
     */
    private static final class ThreadState implements Runnable {
        final dnnl_stream stream = new dnnl_stream();
        final Plan.Scratch scratch = new Plan.Scratch();
        final Map<Object, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Plan> eldest) {
                if (size() > PLANS_PER_THREAD) {
                    if (eldest.getValue() != null) {
                        eldest.getValue().close();
                    }
                    return true;
                }
                return false;
            }
        };

        ThreadState() {
            Dnnl.check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream_create", "the CPU engine");
        }

        /**
         * Frees everything, on the cleaner's thread once the owner has ended.
         * NOTE: without it, a thread's plans (with oneDNN's buffers in its blocked layouts) outlived the thread: 10
         * rounds of the conv VAE decoder's data gradient at 1000 samples, each on a new thread, grew RSS 145 -> 595 MB;
         * with it 113 -> 120 MB.
         */
        @Override
        public void run() {
            for (Plan plan : plans.values()) {
                if (plan != null) {
                    plan.close();
                }
            }
            plans.clear();
            scratch.close();
            dnnl_stream_destroy(stream);
        }
    }

    /** The thread-local's value: unreachable once its thread ends, which lets the cleaner close the state. */
    private static final class Handle {
        final ThreadState state;

        Handle(ThreadState state) {
            this.state = state;
        }
    }

    /** For {@link java.util.ServiceLoader}. */
    public OneDnnRoute() {
    }

    @Override
    public String name() {
        return "onednn";
    }

    @Override
    public String unavailable() {
        if (!checked) {
            synchronized (OneDnnRoute.class) {
                if (!checked) {
                    unavailable = load();
                    checked = true;
                }
            }
        }
        return unavailable;
    }

    private static String load() {
        String platform = Loader.getPlatform();
        if (!platform.equals("linux-x86_64")) {
            return "this build carries oneDNN's natives for linux-x86_64, this is " + platform
                    + " (add org.bytedeco:dnnl's natives for it)";
        }
        try {
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            dnnl_engine e = new dnnl_engine();
            if (!Dnnl.ok(dnnl_engine_create(e, dnnl_cpu, 0))) {
                return "oneDNN's CPU engine did not start";
            }
            engine = e;
            return null;
        } catch (Throwable t) {     // UnsatisfiedLinkError and friends: the natives did not load
            return "oneDNN's natives did not load (" + t + ")";
        }
    }

    @Override
    public String describe() {
        dnnl_version_t v = dnnl_version();
        return String.format(Locale.ROOT, "oneDNN %d.%d.%d (JavaCPP), OMP_NUM_THREADS=%s, OMP_WAIT_POLICY=%s", v.major(),
                v.minor(), v.patch(), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset (every core)"),
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset (threads spin; PASSIVE is faster here)"));
    }

    /**
     * The kernel oneDNN picks for one computation of a shape on this machine, as {@code jit:avx512_core}, or null
     * when it has none.
     *
     * @param s the sizes
     * @param kind {@code forward}, {@code data} or {@code weights}
     * @return the implementation's name, or null
     */
    public String implementation(ConvolutionShape s, String kind) {
        if (unavailable() != null) {
            return null;
        }
        Plan plan = plan(THREAD.get().state, s, Plan.Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
        return plan == null ? null : plan.implementation();
    }

    @Override
    public boolean forward(ConvolutionShape s, float[] x, float[] w, float[] y) {
        return run(s, Plan.Kind.FORWARD, x, w, y);
    }

    @Override
    public boolean backwardData(ConvolutionShape s, float[] dy, float[] w, float[] dx) {
        return run(s, Plan.Kind.DATA, dy, w, dx);
    }

    @Override
    public boolean backwardWeights(ConvolutionShape s, float[] x, float[] dy, float[] dw) {
        return run(s, Plan.Kind.WEIGHTS, x, dy, dw);
    }

    @Override
    public boolean backward(ConvolutionShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw) {
        return pair(s, Plan.Kind.DATA, dy, w, dx, Plan.Kind.WEIGHTS, 1, x, dw);
    }

    @Override
    public boolean forwardAndWeights(ConvolutionShape s, float[] x, float[] w, float[] dy, float[] y, float[] dw) {
        return pair(s, Plan.Kind.FORWARD, x, w, y, Plan.Kind.WEIGHTS, 0, dy, dw);
    }

    /**
     * Two computations that read one array: the first on (shared, b) into out1, the second on the shared array as
     * its input j and other as its other input, into out2. The second reads the first's copy of the shared array in
     * the kernel's layout when the two kernels take the same one, instead of copying and reordering it again.
     * NOTE: the conv backward's dy and the transposed conv backward's g, [64, 128, 7, 7] and [64, 64, 14, 14] in the
     * DCGAN, were each copied and reordered twice per step.
     */
    private boolean pair(ConvolutionShape s, Plan.Kind k1, float[] shared, float[] b, float[] out1, Plan.Kind k2, int j,
                         float[] other, float[] out2) {
        if (unavailable() != null) {
            return false;
        }
        ThreadState state = THREAD.get().state;
        Plan one = plan(state, s, k1);
        Plan two = plan(state, s, k2);      // made after one was used: the plans evicted are the eldest, never one
        if (one == null || two == null) {
            return false;
        }
        one.run(state.stream, state.scratch, shared, b, out1);
        dnnl_memory prepared = one.prepared(0);
        if (prepared != null && one.sameLayout(0, two, j)) {
            two.run(state.stream, state.scratch, j, prepared, other, out2);
        } else if (j == 0) {
            two.run(state.stream, state.scratch, shared, other, out2);
        } else {
            two.run(state.stream, state.scratch, other, shared, out2);
        }
        return true;
    }

    private boolean run(ConvolutionShape s, Plan.Kind kind, float[] a, float[] b, float[] out) {
        if (unavailable() != null) {
            return false;
        }
        ThreadState state = THREAD.get().state;
        Plan plan = plan(state, s, kind);
        if (plan == null) {
            return false;
        }
        plan.run(state.stream, state.scratch, a, b, out);
        return true;
    }

    /** The thread's plan for a shape and computation, made on first use; null when oneDNN has no kernel for it. */
    private static Plan plan(ThreadState state, ConvolutionShape s, Plan.Kind kind) {
        Map<Object, Plan> plans = state.plans;
        Object key = java.util.List.of(s, kind);
        if (plans.containsKey(key)) {
            return plans.get(key);
        }
        Plan plan = Plan.create(engine, s, kind);
        plans.put(key, plan);
        return plan;
    }
}
