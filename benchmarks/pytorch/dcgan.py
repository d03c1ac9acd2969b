#!/usr/bin/python3
"""The DCGAN autodiff4j's `train-gan --arch dcgan` trains (models.gan.Dcgan), in PyTorch, timed per 1000 steps:
z 100 -> linear to 128x7x7 (batch norm, ReLU) -> ConvTranspose2d(128, 64, 4, 2, 1) (batch norm, ReLU) ->
ConvTranspose2d(64, 1, 4, 2, 1) -> tanh; D: Conv2d(1, 64, 4, 2, 1), LeakyReLU 0.2, Conv2d(64, 128, 4, 2, 1),
batch norm, LeakyReLU 0.2, linear to one logit; weights N(0, 0.02); Adam 2e-4, beta1 0.5; batch 64; one D step
(real, then fake, each its own batch-norm batch) and one non-saturating G step per round, as pytorch/examples.

  /usr/bin/python3 benchmarks/pytorch/dcgan.py --data-dir ../shared/data --steps 300 --threads 2
prints one JSON line: seconds per 1000 steps over the steps after the first 50 (warm-up), and the peak RSS.
"""
import argparse
import gzip
import json
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n, h, w = (int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, 1, h, w).astype(np.float32)


class Generator(nn.Module):
    def __init__(self, z=100):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(z, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU())
        self.conv = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                                  nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.conv(self.fc(z).view(-1, 128, 7, 7))


class Discriminator(nn.Module):
    """norm: "batch" (the default), "layer" (LayerNorm over each sample's 128x7x7) or "none", as Dcgan.Norm."""

    def __init__(self, norm="batch"):
        super().__init__()
        normalise = {"batch": nn.BatchNorm2d(128), "layer": nn.LayerNorm([128, 7, 7]), "none": nn.Identity()}[norm]
        self.net = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
                                 nn.Conv2d(64, 128, 4, 2, 1), normalise, nn.LeakyReLU(0.2),
                                 nn.Flatten(), nn.Linear(128 * 7 * 7, 1))

    def forward(self, x):
        return self.net(x)


def weights_init(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = read_idx_images(os.path.join(a.data_dir, "binarized-mnist", "train-images-idx3-ubyte.gz")) / 255.0 * 2 - 1
    data = torch.from_numpy(x)
    g, d = Generator(), Discriminator()
    g.apply(weights_init)
    d.apply(weights_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    n = a.batch_size
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    perm = torch.randperm(len(data))
    start = None
    for step in range(a.steps):
        if step == 50:
            start = time.perf_counter()
        i = (step * n) % (len(data) - n)
        real = data[perm[i:i + n]]
        opt_d.zero_grad()
        fake = g(torch.randn(n, 100))
        loss_d = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(d(fake), ones)
        loss_g.backward()
        opt_g.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds_per_1000_steps": 1000 * seconds / (a.steps - 50),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
