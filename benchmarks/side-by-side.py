#!/usr/bin/python3
"""Times the same VAE and GAN training in PyTorch and in autodiff4j on this machine, side by side.

Each contender runs in its own process, in alternating order, --runs times; the table shows medians.
  VAE: seconds per epoch of 50000 binarized-MNIST images (784-500-20, batch 128, Adam), the mean of
       epochs 2..N of each run (epoch 1 includes warm-up: JIT compilation, allocator growth).
  GAN: seconds per 1000 steps (default architecture, batch 64), steps 201..1200 of each run.
  RSS: peak resident memory of the process (GNU time's %M).
  conv-vae, dcgan (--only): the same for `train-vae --arch conv` (latent 20, batch 128) and `train-gan --arch
       dcgan` (batch 64), PyTorch's networks in benchmarks/pytorch/peer.py and dcgan.py.
  Floor: each model's matrix products (counted from its architecture, convolutions as unfold and one product)
       at the rate this library's sgemm reaches at each product's own shape (PeerRun gemm: warmed up, best of 5):
       the time no unfold + gemm implementation on the same BLAS goes below.
PyTorch runs at its best settings on few cores: torch.set_num_threads(T) with OPENBLAS_NUM_THREADS=1,
and with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_THREAD_TIMEOUT=4; the faster is reported as "PyTorch best".
autodiff4j runs with T threads for both the BLAS and its elementwise work, its convolutions on oneDNN
(autodiff4j-onednn), with OMP_WAIT_POLICY=PASSIVE and OPENBLAS_THREAD_TIMEOUT=4, as the launcher sets them.

--routes native,maven,jblas,jblas-bundled,java adds one autodiff4j contender per BLAS route (forced with
-Dautodiff4j.blas; jblas-bundled hides the system jblas native; java runs on the Vector API), so the
routes' epoch times stand beside PyTorch's; gemm-conv runs the convolutions as unfold + gemm instead of oneDNN.

Run from the repository root after a build (./autodiff4j builds the jars; the benchmarks jar with
mvn -B -q -DskipTests package):
  /usr/bin/python3 benchmarks/side-by-side.py --data-dir ../shared/data
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.environ.get("AUTODIFF4J_BENCH_JAR", os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar"))
PEER = os.path.join(ROOT, "benchmarks", "pytorch", "peer.py")
# The JVM flags ./autodiff4j uses (see the launcher): the parallel collector and a bounded heap.
JAVA_OPTS = os.environ.get("AUTODIFF4J_BENCH_JAVA_OPTS", "-XX:+UseParallelGC -Xmn128m -XX:SurvivorRatio=3 -XX:-UseAdaptiveSizePolicy").split()


ROUTE_FLAGS = {
    "native": ["-Dautodiff4j.blas=native"],
    "maven": ["-Dautodiff4j.blas=maven"],
    "jblas": ["-Dautodiff4j.blas=jblas"],
    "jblas-bundled": ["-Dautodiff4j.blas=jblas", "-Djava.library.path=/nonexistent"],
    "java": ["-Dautodiff4j.blas=java", "--add-modules", "jdk.incubator.vector"],
    # the convolution route: unfold + gemm on the default BLAS instead of oneDNN
    "gemm-conv": ["-Dautodiff4j.conv=gemm"],
}


def linear(n, i, o):
    """The products of a linear layer on n rows, as (m, n, k) of [m, k] x [k, n]: forward, weight and input gradients."""
    return {"f": [(n, o, i)], "w": [(o, i, n)], "i": [(n, i, o)]}


def conv(n, c, f, k, out_pixels):
    """Conv2d(c, f, k) by unfold and one product over the batch: [F, C k k] x [C k k, N L] and its two gradients."""
    return {"f": [(f, n * out_pixels, c * k * k)], "w": [(f, c * k * k, n * out_pixels)], "i": [(c * k * k, n * out_pixels, f)]}


def conv_t(n, i, o, k, in_pixels):
    """ConvTranspose2d(i, o, k): [O k k, I] x [I, N L_in] then fold, and its two gradients."""
    return {"f": [(o * k * k, n * in_pixels, i)], "w": [(i, o * k * k, n * in_pixels)], "i": [(i, n * in_pixels, o * k * k)]}


def products(layers, parts, input_gradient_of_first=False):
    """The products of a stack for the given parts (f, w, i); the first layer's input gradient only on request."""
    out = []
    for j, layer in enumerate(layers):
        for part in parts:
            if part == "i" and j == 0 and not input_gradient_of_first:
                continue
            out += layer[part]
    return out


def gan_round(g, d):
    """One round: G's fakes without a graph, D forward and backward on real and on fake, then G's step through a
    frozen D (its input gradients only), as GanTrainer does it."""
    d_step = products(g, "f") + 2 * (products(d, "f") + products(d, "w") + products(d, "i"))
    g_step = products(g, "f") + products(d, "f") + products(d, "i", True) + products(g, "w") + products(g, "i")
    return d_step + g_step


def model_products():
    """Each model's matrix products per unit (an epoch of 50000 images for the VAEs, 1000 rounds for the GANs), as
    {(m, n, k): count}, counted from the architectures."""
    def counted(shapes, times):
        c = {}
        for s in shapes:
            c[s] = c.get(s, 0) + times
        return c
    b = 128
    vae = [linear(b, 784, 500), linear(b, 500, 20), linear(b, 500, 20)]
    vae_dec = [linear(b, 20, 500), linear(b, 500, 784)]
    conv_enc = [conv(b, 1, 32, 4, 196), conv(b, 32, 64, 4, 49), linear(b, 3136, 20), linear(b, 3136, 20)]
    conv_dec = [linear(b, 20, 3136), conv_t(b, 64, 32, 4, 49), conv_t(b, 32, 1, 4, 196)]
    n = 64
    gan_g = [linear(n, a, c) for a, c in zip([100, 128, 256, 512, 1024], [128, 256, 512, 1024, 784])]
    gan_d = [linear(n, 784, 512), linear(n, 512, 256), linear(n, 256, 1)]
    dc_g = [linear(n, 100, 6272), conv_t(n, 128, 64, 4, 49), conv_t(n, 64, 1, 4, 196)]
    dc_d = [conv(n, 1, 64, 4, 196), conv(n, 64, 128, 4, 49), linear(n, 6272, 1)]
    steps = 50000 / b

    def vae_step(enc, dec):
        # the heads read the encoder's features: their input gradients flow back; the decoder's first layer's input
        # gradient reaches z and so the encoder
        return (products(enc, "f") + products(enc, "w") + products(enc[:1], "i") + products(enc[1:], "i", True)
                + products(dec, "f") + products(dec, "w") + products(dec, "i", True))
    return {"vae": counted(vae_step(vae, vae_dec), steps), "conv-vae": counted(vae_step(conv_enc, conv_dec), steps),
            "gan": counted(gan_round(gan_g, gan_d), 1000), "dcgan": counted(gan_round(dc_g, dc_d), 1000)}


def gemm_rates(shapes, threads):
    """GFLOPS of each float32 product shape through the library (PeerRun gemm: warmed up, best of 5), with the
    contenders' threads."""
    arg = ";".join(f"{m},{n},{k}" for m, n, k in shapes)
    p = subprocess.run(["java", *JAVA_OPTS, f"-Dautodiff4j.threads={threads}", "-cp", JAR, "org.autodiff4j.bench.PeerRun",
                        "gemm", arg], env=dict(os.environ, OPENBLAS_NUM_THREADS=str(threads)), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"PeerRun gemm failed: {p.stderr}")
    rates = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "gemm":
            rates[(int(parts[1]), int(parts[2]), int(parts[3]))] = float(parts[4])
    return rates


def contenders(threads, routes=()):
    torch = ["/usr/bin/python3", PEER, "--threads", str(threads)]

    def java(*flags):
        return ["java", *JAVA_OPTS, *flags, f"-Dautodiff4j.threads={threads}", "-cp", JAR, "org.autodiff4j.bench.PeerRun"]
    out = {
        "PyTorch (OPENBLAS_NUM_THREADS=1)": (torch, {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": str(threads)}),
        # the same settings as autodiff4j's: OpenBLAS's idle threads sleep at once rather than spin
        "PyTorch (OMP_WAIT_POLICY=PASSIVE)": (torch, {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": str(threads),
                                                      "OPENBLAS_THREAD_TIMEOUT": "4"}),
        "autodiff4j": (java(), {"OPENBLAS_NUM_THREADS": str(threads), "OMP_WAIT_POLICY": "PASSIVE",
                                               "OPENBLAS_THREAD_TIMEOUT": "4"}),
    }
    for r in routes:
        out[f"autodiff4j ({r})"] = (java(*ROUTE_FLAGS[r]), {"OPENBLAS_NUM_THREADS": str(threads), "OMP_WAIT_POLICY": "PASSIVE",
                                               "OPENBLAS_THREAD_TIMEOUT": "4"})
    return out


def run_once(cmd, env_extra, model, data_dir, count):
    env = dict(os.environ, **env_extra)
    full = ["/usr/bin/time", "-f", "RSS_KB %M", *cmd, model, data_dir, str(count)]
    p = subprocess.run(full, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(full)}\n{p.stdout}\n{p.stderr}")
    times = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("epoch", "steps"):
            times[int(parts[1])] = float(parts[2])
    rss = next(int(l.split()[1]) for l in p.stderr.splitlines() if l.startswith("RSS_KB"))
    if model.endswith("vae"):
        value = statistics.mean(times[e] for e in sorted(times) if e >= 2)
    else:
        value = (times[count] - times[200]) * 1000 / (count - 200)   # seconds per 1000 steps, after 200 of warm-up
    return value, rss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--vae-epochs", type=int, default=3)
    ap.add_argument("--gan-steps", type=int, default=1200)
    ap.add_argument("--only", default="vae,gan", help="comma-separated models: vae, gan, conv-vae, dcgan "
                    "(default: vae,gan)")
    ap.add_argument("--json", help="also write the measurements here")
    ap.add_argument("--routes", default="", help="comma-separated BLAS routes to time as well: " + ",".join(ROUTE_FLAGS))
    a = ap.parse_args()
    routes = [r for r in a.routes.split(",") if r]
    for r in routes:
        if r not in ROUTE_FLAGS:
            sys.exit(f"--routes: unknown route '{r}' (allowed: {', '.join(ROUTE_FLAGS)})")
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} is missing: build it with mvn -B -q -DskipTests package")
    if a.gan_steps < 300 or a.vae_epochs < 2:
        sys.exit("--gan-steps must be at least 300 and --vae-epochs at least 2")
    data_dir = os.path.abspath(a.data_dir)
    results = {}
    models = [m for m in a.only.split(",") if m]
    for m in models:
        if m not in ("vae", "gan", "conv-vae", "dcgan"):
            sys.exit(f"--only: unknown model '{m}' (allowed: vae, gan, conv-vae, dcgan)")
    for model in models:
        count = a.vae_epochs if model.endswith("vae") else a.gan_steps
        names = list(contenders(a.threads, routes))
        runs = {n: [] for n in names}
        for r in range(a.runs):
            order = names if r % 2 == 0 else names[::-1]
            for n in order:
                cmd, env = contenders(a.threads, routes)[n]
                value, rss = run_once(cmd, env, model, data_dir, count)
                runs[n].append((value, rss))
                print(f"{model} run {r + 1}: {n}: {value:.2f} s, RSS {rss:.0f} MB", flush=True)
        results[model] = {n: {"seconds": [v for v, _ in runs[n]], "rss_mb": [m for _, m in runs[n]],
                              "median_seconds": statistics.median(v for v, _ in runs[n]),
                              "median_rss_mb": statistics.median(m for _, m in runs[n])} for n in names}
    print()
    print(f"threads {a.threads}, {a.runs} alternating runs each, medians; VAEs in s per epoch, GANs in s per 1000 steps")
    print(f"{'':12} {'':36} {'seconds':>9} {'peak RSS MB':>12}")
    for model in results:
        for n in contenders(a.threads, routes):
            print(f"{model:12} {n:36} {results[model][n]['median_seconds']:9.2f} {results[model][n]['median_rss_mb']:12.0f}")
    wanted = model_products()
    shapes = sorted({s for m in results for s in wanted[m]})
    rates = gemm_rates(shapes, a.threads)
    for model in list(results):
        torch_names = [n for n in results[model] if n.startswith("PyTorch")]
        best = min(torch_names, key=lambda n: results[model][n]["median_seconds"])
        ours = results[model]["autodiff4j"]
        theirs = results[model][best]
        ratio = ours["median_seconds"] / theirs["median_seconds"]
        flop = sum(2 * m * n * k * c for (m, n, k), c in wanted[model].items())
        floor = sum(2 * m * n * k * c / (rates[(m, n, k)] * 1e9) for (m, n, k), c in wanted[model].items())
        print(f"{model.upper()}: autodiff4j / PyTorch best ({best}) = {ratio:.2f}x time, "
              f"{ours['median_rss_mb'] / theirs['median_rss_mb']:.2f}x peak RSS; matrix products {flop / 1e12:.3f} TFLOP, "
              f"floor {floor:.2f} s at each product's own measured rate ({flop / floor / 1e9:.0f} GFLOPS on average): "
              f"autodiff4j at {ours['median_seconds'] / floor:.2f}x, PyTorch at {theirs['median_seconds'] / floor:.2f}x "
              f"that floor")
        results[model]["ratio_to_pytorch_best"] = ratio
        results[model]["gemm_floor_seconds"] = floor
        results[model]["gemm_tflop"] = flop / 1e12
    results["gemm_gflops_by_shape"] = {f"{m}x{n}x{k}": r for (m, n, k), r in rates.items()}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
