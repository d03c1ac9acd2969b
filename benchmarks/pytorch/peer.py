#!/usr/bin/python3
"""The work benchmarks/side-by-side.py times, in PyTorch, as org.autodiff4j.bench.PeerRun does it.

  vae DATA_DIR EPOCHS   the default VAE (784-500-20 tanh, Bernoulli, batch 128, Adam 1e-3) on binarized
                        MNIST; prints "epoch N SECONDS" per epoch
  conv-vae DATA_DIR EPOCHS
                        the convolutional VAE of `train-vae --arch conv` (conv 32, 64 stride 2, latent 20,
                        transposed convolutions back), batch 128, Adam 1e-3; prints "epoch N SECONDS"
  dcgan DATA_DIR STEPS  rounds of the DCGAN of `train-gan --arch dcgan` (benchmarks/pytorch/dcgan.py's networks,
                        batch 64, Adam 2e-4 beta1 0.5, k 1, D's fakes without a graph and a fresh G(z) for
                        G's step, as GanTrainer); prints "steps N SECONDS"
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
from dcgan import Discriminator, Generator, weights_init  # noqa: E402


class ConvVae(Vae):
    """models.vae.ConvVae: the same forward and loss as Vae, convolutional networks."""

    def __init__(self, z=20):
        super().__init__(z=z)
        self.encoder = nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(),
                                     nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.mean = nn.Linear(64 * 7 * 7, z)
        self.logvar = nn.Linear(64 * 7 * 7, z)
        self.decoder = nn.Sequential(nn.Linear(z, 64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                                     nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                     nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Flatten())


def mlp(sizes, out_act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        layers.append(nn.LeakyReLU(0.2) if i < len(sizes) - 2 else out_act)
    return nn.Sequential(*[m for m in layers if m is not None])


def run_vae(train, epochs, model=None):
    model = model or Vae()
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


def run_dcgan(train, steps):
    g, d = Generator(), Discriminator()
    g.apply(weights_init)
    d.apply(weights_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = (train * 2 - 1).reshape(-1, 1, 28, 28)
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)
    step = 0
    t0 = time.perf_counter()
    while step < steps:
        perm = torch.randperm(images.shape[0])
        for i in range(0, images.shape[0] - 63, 64):
            real = images[perm[i:i + 64]]
            # as GanTrainer: D's fakes drawn without a graph, then a fresh G(z) for G's step through a frozen D (the
            # round of run_gan; PyTorch's DCGAN example instead reuses D's fake, one generator pass fewer)
            opt_d.zero_grad()
            with torch.no_grad():
                fake = g(torch.randn(64, 100))
            loss_d = (F.binary_cross_entropy_with_logits(d(real), ones)
                      + F.binary_cross_entropy_with_logits(d(fake), zeros))
            loss_d.backward()
            opt_d.step()
            for p in d.parameters():
                p.requires_grad_(False)
            opt_g.zero_grad()
            F.binary_cross_entropy_with_logits(d(g(torch.randn(64, 100))), ones).backward()
            for p in d.parameters():
                p.requires_grad_(True)
            opt_g.step()
            step += 1
            if step % 100 == 0:
                print(f"steps {step} {time.perf_counter() - t0:.3f}", flush=True)
            if step == steps:
                break


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", choices=["vae", "gan", "conv-vae", "dcgan"])
    p.add_argument("data_dir")
    p.add_argument("count", type=int)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    train = read_idx_images(os.path.join(a.data_dir, "binarized-mnist", "train-images-idx3-ubyte.gz"))
    if a.model == "conv-vae":
        run_vae(train, a.count, ConvVae())
    else:
        {"vae": run_vae, "gan": run_gan, "dcgan": run_dcgan}[a.model](train, a.count)


if __name__ == "__main__":
    main()
