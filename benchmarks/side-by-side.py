#!/usr/bin/python3
"""Times the same VAE and GAN training in PyTorch and in autodiff4j on this machine, side by side.

Each contender runs in its own process, in alternating order, --runs times; the table shows medians.
  VAE: seconds per epoch of 50000 binarized-MNIST images (784-500-20, batch 128, Adam), the mean of
       epochs 2..N of each run (epoch 1 includes warm-up: JIT compilation, allocator growth).
  GAN: seconds per 1000 steps (default architecture, batch 64), steps 201..1200 of each run.
  RSS: peak resident memory of the process (GNU time's %M).
  Floor: the matrix products' FLOP (counted from the architectures) at the sgemm rate `info --size 512`
       measures: the time no implementation on the same BLAS goes below.
PyTorch runs at its best settings on few cores: torch.set_num_threads(T) with OPENBLAS_NUM_THREADS=1,
and with OMP_WAIT_POLICY=PASSIVE; the faster is reported as "PyTorch best". autodiff4j runs with T
threads for both the BLAS and its elementwise work.

--routes native,jblas,jblas-bundled,java adds one autodiff4j contender per BLAS route (forced with
-Dautodiff4j.blas; jblas-bundled hides the system jblas native; java runs on the Vector API), so the
routes' epoch times stand beside PyTorch's.

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
JAVA_OPTS = os.environ.get("AUTODIFF4J_BENCH_JAVA_OPTS", "-XX:+UseParallelGC -Xmn128m").split()


ROUTE_FLAGS = {
    "native": ["-Dautodiff4j.blas=native"],
    "jblas": ["-Dautodiff4j.blas=jblas"],
    "jblas-bundled": ["-Dautodiff4j.blas=jblas", "-Djava.library.path=/nonexistent"],
    "java": ["-Dautodiff4j.blas=java", "--add-modules", "jdk.incubator.vector"],
}


def mlp_product_flops(widths, rows):
    """Forward FLOP of a fully connected stack's matrix products (2 m n k each), and its first layer's share."""
    layers = [2 * rows * a * b for a, b in zip(widths, widths[1:])]
    return sum(layers), layers[0]


def gemm_flop():
    """Matrix-product FLOP per VAE epoch and per 1000 GAN rounds, counted from the architectures: forward, then
    backward's weight gradients and input gradients (none for a layer whose input is data)."""
    enc, enc_first = mlp_product_flops([784, 500, 40], 1)   # encoder and the two 20-wide heads side by side
    dec, _ = mlp_product_flops([20, 500, 784], 1)
    vae = 50000 * (3 * (enc + dec) - enc_first)
    g, g_first = mlp_product_flops([100, 128, 256, 512, 1024, 784], 64)
    d, d_first = mlp_product_flops([784, 512, 256, 1], 64)
    d_step = g + 3 * (2 * d) - 2 * d_first           # G's fakes without a graph; D on 64 real + 64 fake
    g_step = 3 * g - g_first + 2 * d                  # D frozen: only its input gradients flow back to G
    return {"vae": vae, "gan": 1000 * (d_step + g_step)}


def sgemm_rate(threads):
    """GFLOPS of a 512^3 float32 product through the library (./autodiff4j info), with the contenders' threads."""
    jar = os.path.join(ROOT, "examples", "target", "autodiff4j-examples.jar")
    p = subprocess.run(["java", *JAVA_OPTS, f"-Dautodiff4j.threads={threads}", "-cp", jar, "org.autodiff4j.examples.Main",
                        "info", "--size", "512"], env=dict(os.environ, OPENBLAS_NUM_THREADS=str(threads)),
                       capture_output=True, text=True)
    line = next((l for l in p.stdout.splitlines() if l.startswith("sgemm")), None)
    return float(line.split()[1]) if line else None


def contenders(threads, routes=()):
    torch = ["/usr/bin/python3", PEER, "--threads", str(threads)]

    def java(*flags):
        return ["java", *JAVA_OPTS, *flags, f"-Dautodiff4j.threads={threads}", "-cp", JAR, "org.autodiff4j.bench.PeerRun"]
    out = {
        "PyTorch (OPENBLAS_NUM_THREADS=1)": (torch, {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": str(threads)}),
        "PyTorch (OMP_WAIT_POLICY=PASSIVE)": (torch, {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": str(threads)}),
        "autodiff4j": (java(), {"OPENBLAS_NUM_THREADS": str(threads)}),
    }
    for r in routes:
        out[f"autodiff4j ({r} BLAS)"] = (java(*ROUTE_FLAGS[r]), {"OPENBLAS_NUM_THREADS": str(threads)})
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
    if model == "vae":
        value = statistics.mean(times[e] for e in sorted(times) if e >= 2)
    else:
        value = times[count] - times[200]
    return value, rss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--vae-epochs", type=int, default=3)
    ap.add_argument("--gan-steps", type=int, default=1200)
    ap.add_argument("--only", choices=["vae", "gan"])
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
    for model in ["vae", "gan"] if a.only is None else [a.only]:
        count = a.vae_epochs if model == "vae" else a.gan_steps
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
    print(f"threads {a.threads}, {a.runs} alternating runs each, medians")
    print(f"{'':36} {'VAE s/epoch':>12} {'GAN s/1000 steps':>17} {'VAE RSS MB':>11} {'GAN RSS MB':>11}")
    best = {}
    for model in results:
        torch_names = [n for n in results[model] if n.startswith("PyTorch")]
        best[model] = min(torch_names, key=lambda n: results[model][n]["median_seconds"])

    def cell(model, name, key, fmt):
        return format(results[model][name][key], fmt) if model in results else "-"

    for n in contenders(a.threads, routes):
        print(f"{n:36} {cell('vae', n, 'median_seconds', '12.2f')} {cell('gan', n, 'median_seconds', '17.2f')} "
              f"{cell('vae', n, 'median_rss_mb', '11.0f')} {cell('gan', n, 'median_rss_mb', '11.0f')}")
    for model in results:
        ours = results[model]["autodiff4j"]
        theirs = results[model][best[model]]
        ratio = ours["median_seconds"] / theirs["median_seconds"]
        print(f"{model.upper()}: autodiff4j / PyTorch best ({best[model]}) = {ratio:.2f}x time, "
              f"{ours['median_rss_mb'] / theirs['median_rss_mb']:.2f}x peak RSS")
        results[model]["ratio_to_pytorch_best"] = ratio
    rate = sgemm_rate(a.threads)
    if rate:
        # NOTE: the floor is what the products alone take at the 512^3 rate; the models' own shapes run a little
        # below or above it (MatMulBenchmark), so read it as a limit to within 10-20%
        for model, flop in gemm_flop().items():
            if model in results:
                floor = flop / (rate * 1e9)
                ours = results[model]["autodiff4j"]["median_seconds"]
                print(f"{model.upper()}: matrix products {flop / 1e12:.2f} TFLOP, {floor:.2f} s at {rate:.0f} GFLOPS "
                      f"(sgemm 512^3): autodiff4j at {ours / floor:.2f}x that floor")
                results[model]["gemm_floor_seconds"] = floor
        results["sgemm_gflops_512"] = rate
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
