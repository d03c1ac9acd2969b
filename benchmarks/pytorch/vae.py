#!/usr/bin/python3
"""The default autodiff4j VAE in PyTorch, for side-by-side comparison on the same machine.

784-500-20 (tanh), Bernoulli decoder, Adam 1e-3, batch 128, PyTorch's default Linear initialisation,
statically binarized MNIST from the same IDX files. Prints per-epoch train/valid negative ELBO, the test
negative ELBO and the importance-weighted test NLL, and the seconds per epoch.

Run with Debian's PyTorch: /usr/bin/python3 benchmarks/pytorch/vae.py --data-dir ../shared/data
"""
import argparse
import gzip
import math
import os
import struct
import time

import torch
import torch.nn.functional as F
from torch import nn


def read_idx_images(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 0x803:
        raise SystemExit(f"{path}: not an IDX image file (magic {magic:#x})")
    x = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, rows * cols)
    return x.float() / 255.0


class Vae(nn.Module):
    def __init__(self, d=784, h=500, z=20):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d, h), nn.Tanh())
        self.mean = nn.Linear(h, z)
        self.logvar = nn.Linear(h, z)
        self.decoder = nn.Sequential(nn.Linear(z, h), nn.Tanh(), nn.Linear(h, d))

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.mean(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decoder(z), mu, logvar


def neg_elbo(model, x):
    logits, mu, logvar = model(x)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
    kl = 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1 - logvar) / x.shape[0]
    return rec + kl, rec, kl


@torch.no_grad()
def evaluate(model, data, batch=128):
    total = 0.0
    for i in range(0, data.shape[0], batch):
        x = data[i:i + batch]
        total += neg_elbo(model, x)[0].item() * x.shape[0]
    return total / data.shape[0]


@torch.no_grad()
def iw_nll(model, data, k, chunk=1000):
    out = []
    zdim = model.mean.out_features
    for i in range(data.shape[0]):
        x = data[i:i + 1]
        h = model.encoder(x)
        mu, logvar = model.mean(h), model.logvar(h)
        sigma = torch.exp(0.5 * logvar)
        logw = []
        for done in range(0, k, chunk):
            s = min(chunk, k - done)
            eps = torch.randn(s, zdim)
            z = mu + sigma * eps
            logits = model.decoder(z)
            log_pxz = -F.binary_cross_entropy_with_logits(logits, x.expand(s, -1), reduction="none").sum(1)
            log_pz = -0.5 * (z.pow(2).sum(1) + zdim * math.log(2 * math.pi))
            log_qz = -0.5 * (eps.pow(2).sum(1) + zdim * math.log(2 * math.pi) + logvar.sum())
            logw.append(log_pxz + log_pz - log_qz)
        logw = torch.cat(logw)
        out.append(torch.logsumexp(logw, 0).item() - math.log(k))
    return -sum(out) / len(out)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iw-samples", type=int, default=1000)
    p.add_argument("--iw-examples", type=int, default=0, help="0: the whole test set")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    root = os.path.join(a.data_dir, "binarized-mnist")
    train = read_idx_images(os.path.join(root, "train-images-idx3-ubyte.gz"))
    valid = read_idx_images(os.path.join(root, "valid-images-idx3-ubyte.gz"))
    test = read_idx_images(os.path.join(root, "test-images-idx3-ubyte.gz"))
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    start = time.time()
    for epoch in range(1, a.epochs + 1):
        t0 = time.time()
        perm = torch.randperm(train.shape[0])
        total = 0.0
        for i in range(0, train.shape[0], 128):
            x = train[perm[i:i + 128]]
            opt.zero_grad()
            loss = neg_elbo(model, x)[0]
            loss.backward()
            opt.step()
            total += loss.item() * x.shape[0]
        secs = time.time() - t0
        print(f"epoch {epoch} train {total / train.shape[0]:.3f} valid {evaluate(model, valid):.3f} ({secs:.2f}s)", flush=True)
    print(f"train wall {time.time() - start:.1f}s", flush=True)
    print(f"test neg elbo {evaluate(model, test):.3f}", flush=True)
    n = a.iw_examples or test.shape[0]
    t0 = time.time()
    print(f"test iw nll k={a.iw_samples} ({n} images): {iw_nll(model, test[:n], a.iw_samples):.3f} "
          f"in {time.time() - t0:.1f}s", flush=True)


if __name__ == "__main__":
    main()
