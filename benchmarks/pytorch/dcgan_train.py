#!/usr/bin/python3
"""Trains benchmarks/pytorch/dcgan.py's DCGAN (the networks of `train-gan --arch dcgan`) in PyTorch for whole epochs
and writes it as an autodiff4j checkpoint (model=dcgan, this library's parameter names), so that
`./autodiff4j evaluate --fid` scores PyTorch's samples with the same classifier as this library's:

  /usr/bin/python3 benchmarks/pytorch/dcgan_train.py --data /usr/share/datasets/fashion-mnist --epochs 5 --seed 1 \\
      --out torch-dcgan-1.safetensors
  ./autodiff4j evaluate --fid --dataset fashion-mnist --checkpoint torch-dcgan-1.safetensors

Training as `train-gan --arch dcgan --instance-noise 0 --real-label 1`: batch 64 (the last short batch dropped),
Adam 2e-4 beta1 0.5, one D step on 64 real then 64 fake images and one non-saturating G step per round.
With `--loss wasserstein --gradient-penalty 10 --k 5 --lr 1e-4 --beta2 0.9 --discriminator-norm layer` it is
WGAN-GP (Gulrajani et al. 2017, algorithm 1) as `train-gan` runs it: k critic steps, each on the next real batch and
fresh z, with loss E[D(G(z))] - E[D(x)] + lambda E[(|grad D(x^)| - 1)^2] at x^ = e x + (1 - e) G(z), e ~ U[0, 1] per
image, then one generator step on -E[D(G(z))]; `--discriminator-norm` as Dcgan.Norm (batch, layer or none).
"""
import argparse
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn

from dcgan import Discriminator, Generator, read_idx_images, weights_init

# PyTorch's module names -> models.gan.Dcgan's Sequential indices (with no normalisation in D, Dcgan has no layer
# where nn.Identity stands, so its linear layer is one index lower)
NAMES = {"fc.0": "generator.0", "fc.1": "generator.1", "conv.0": "generator.4", "conv.1": "generator.5",
         "conv.3": "generator.7", "net.0": "discriminator.0", "net.2": "discriminator.2", "net.3": "discriminator.3",
         "net.6": "discriminator.6"}


def save(path, g, d, norm="batch"):
    names = dict(NAMES, **({"net.6": "discriminator.5"} if norm == "none" else {}))
    tensors = {}
    for module in (g, d):
        for name, t in module.state_dict().items():
            owner, _, leaf = name.rpartition(".")
            tensors[names[owner] + "." + leaf] = t
    metadata = {"model": "dcgan", "latent": "100", "channels": "1", "size": "28",
                "trained_by": "PyTorch " + torch.__version__}
    if norm != "batch":
        metadata["discriminator_norm"] = norm
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        a = t.detach().numpy()
        a = a.astype(np.float64 if name.endswith("num_batches_tracked") else np.float32).copy(order="C")
        b = a.tobytes()
        header[name] = {"dtype": "F64" if a.dtype == np.float64 else "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="a folder with train-images-idx3-ubyte.gz")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--loss", choices=["non-saturating", "wasserstein"], default="non-saturating")
    ap.add_argument("--gradient-penalty", type=float, default=0.0, help="WGAN-GP's lambda (0: none)")
    ap.add_argument("--k", type=int, default=1, help="critic steps per generator step")
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--beta1", type=float, default=0.5)
    ap.add_argument("--beta2", type=float, default=0.999)
    ap.add_argument("--discriminator-norm", choices=["batch", "layer", "none"], default="batch")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = read_idx_images(os.path.join(a.data, "train-images-idx3-ubyte.gz")) / 255.0 * 2 - 1
    data = torch.from_numpy(x)
    g, d = Generator(), Discriminator(a.discriminator_norm)
    g.apply(weights_init)
    d.apply(weights_init)
    opt_g = torch.optim.Adam(g.parameters(), lr=a.lr, betas=(a.beta1, a.beta2))
    opt_d = torch.optim.Adam(d.parameters(), lr=a.lr, betas=(a.beta1, a.beta2))
    bce = nn.BCEWithLogitsLoss()
    n = 64
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(len(data))
        batches = [perm[i:i + n] for i in range(0, len(data) - n + 1, n)]
        for r in range(0, len(batches) - a.k + 1, a.k):
            for real_index in batches[r:r + a.k]:
                real = data[real_index]
                opt_d.zero_grad()
                fake = g(torch.randn(n, 100))
                if a.loss == "wasserstein":
                    loss_d = d(fake.detach()).mean() - d(real).mean()
                else:
                    loss_d = bce(d(real), ones) + bce(d(fake.detach()), zeros)
                if a.gradient_penalty > 0:
                    e = torch.rand(n, 1, 1, 1)
                    mixed = (e * real + (1 - e) * fake.detach()).requires_grad_(True)
                    grad, = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)
                    loss_d = loss_d + a.gradient_penalty * (grad.flatten(1).norm(dim=1) - 1).square().mean()
                loss_d.backward()
                opt_d.step()
            opt_g.zero_grad()
            if a.k > 1:
                fake = g(torch.randn(n, 100))
            loss_g = -d(fake).mean() if a.loss == "wasserstein" else bce(d(fake), ones)
            loss_g.backward()
            opt_g.step()
        print(f"epoch {epoch}: D loss {loss_d.item():.3f}, G loss {loss_g.item():.3f}, "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    save(a.out, g, d, a.discriminator_norm)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
