#!/usr/bin/python3
"""The work benchmarks/side-by-side.py times, in PyTorch, as org.autodiff4j.bench.PeerRun does it.

  vae DATA_DIR EPOCHS   the default VAE (784-500-20 tanh, Bernoulli, batch 128, Adam 1e-3) on binarized
                        MNIST; prints "epoch N SECONDS" per epoch
  gan DATA_DIR STEPS    rounds of the default GAN (G 100-128-256-512-1024-784, D 784-512-256-1, LeakyReLU
                        0.2, batch 64, k 1, Adam 2e-4 beta1 0.5, instance noise 1.0, real label 0.9);
                        prints "steps N SECONDS" every 100 steps
No validation, no files. Threads: --threads (torch.set_num_threads); the BLAS reads its own variables.
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vae import Vae, neg_elbo, read_idx_images  # noqa: E402


def mlp(sizes, out_act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        layers.append(nn.LeakyReLU(0.2) if i < len(sizes) - 2 else out_act)
    return nn.Sequential(*[m for m in layers if m is not None])


def run_vae(train, epochs):
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(train.shape[0])
        for i in range(0, train.shape[0], 128):
            x = train[perm[i:i + 128]]
            opt.zero_grad()
            neg_elbo(model, x)[0].backward()
            opt.step()
        print(f"epoch {epoch} {time.perf_counter() - t0:.3f}", flush=True)


def run_gan(train, steps):
    g = mlp([100, 128, 256, 512, 1024, 784], nn.Tanh())
    d = mlp([784, 512, 256, 1], None)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = train * 2 - 1
    noise = lambda t: t + torch.randn_like(t)  # instance noise, std 1.0
    step = 0
    t0 = time.perf_counter()
    while step < steps:
        perm = torch.randperm(images.shape[0])
        for i in range(0, images.shape[0] - 63, 64):
            real = images[perm[i:i + 64]]
            opt_d.zero_grad()
            with torch.no_grad():
                fake = g(torch.randn(64, 100))
            real_logits, fake_logits = d(noise(real)), d(noise(fake))
            loss_d = (F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, 0.9))
                      + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
            loss_d.backward()
            opt_d.step()
            for p in d.parameters():
                p.requires_grad_(False)
            opt_g.zero_grad()
            logits = d(noise(g(torch.randn(64, 100))))
            F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits)).backward()
            opt_g.step()
            for p in d.parameters():
                p.requires_grad_(True)
            step += 1
            if step % 100 == 0:
                print(f"steps {step} {time.perf_counter() - t0:.3f}", flush=True)
            if step == steps:
                break


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", choices=["vae", "gan"])
    p.add_argument("data_dir")
    p.add_argument("count", type=int)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    train = read_idx_images(os.path.join(a.data_dir, "binarized-mnist", "train-images-idx3-ubyte.gz"))
    (run_vae if a.model == "vae" else run_gan)(train, a.count)


if __name__ == "__main__":
    main()
