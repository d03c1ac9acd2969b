#!/usr/bin/python3
"""Evaluates an autodiff4j VAE checkpoint (safetensors) in PyTorch: reads the file with nothing but
json and numpy, loads the weights into the same PyTorch model as vae.py, and prints the test negative
ELBO, so the two libraries' evaluations of one set of weights can be compared.

/usr/bin/python3 benchmarks/pytorch/eval_checkpoint.py runs/vae-.../vae.safetensors --data-dir ../shared/data
"""
import argparse
import json
import os
import struct

import numpy as np
import torch

from vae import Vae, evaluate, iw_nll, read_idx_images


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    dtypes = {"F32": np.float32, "F64": np.float64}
    tensors = {}
    for name, e in header.items():
        b, t = e["data_offsets"]
        tensors[name] = np.frombuffer(raw[8 + n + b:8 + n + t], dtype=dtypes[e["dtype"]]).reshape(e["shape"])
    return tensors, meta


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("checkpoint")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--iw-samples", type=int, default=0)
    p.add_argument("--iw-examples", type=int, default=1000)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    tensors, meta = read_safetensors(a.checkpoint)
    hidden = [int(h) for h in meta["hidden"].split(",")]
    if meta.get("model") != "vae" or len(hidden) != 1:
        raise SystemExit(f"{a.checkpoint}: expects a one-hidden-layer autodiff4j VAE, metadata says {meta}")
    model = Vae(int(meta["input_dim"]), hidden[0], int(meta["latent"]))
    state = {k: torch.from_numpy(v.copy()) for k, v in tensors.items() if not k.startswith("optimizer.")}
    model.load_state_dict(state)
    test = read_idx_images(os.path.join(a.data_dir, "binarized-mnist", "test-images-idx3-ubyte.gz"))
    print(f"test neg elbo (PyTorch evaluation) {evaluate(model, test):.3f}")
    if a.iw_samples:
        n = a.iw_examples
        print(f"test iw nll k={a.iw_samples} ({n} images) {iw_nll(model, test[:n], a.iw_samples):.3f}")


if __name__ == "__main__":
    main()
