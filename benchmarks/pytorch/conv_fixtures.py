#!/usr/bin/python3
"""Writes small PyTorch reference fixtures for autodiff4j's convolution and normalisation layers, and checks
an autodiff4j checkpoint of the same layers in PyTorch.

  write: /usr/bin/python3 benchmarks/pytorch/conv_fixtures.py write FILE
  check: /usr/bin/python3 benchmarks/pytorch/conv_fixtures.py check FILE
LayerFixturesTest (nn module) runs both, with its files in nn/target/fixtures/.

The fixture holds, for each case NAME, the layer's state dict under NAME.<entry> (PyTorch's names and layouts:
Conv2d weight [out, in, kh, kw], ConvTranspose2d [in, out, kh, kw], BatchNorm's running_mean, running_var and
num_batches_tracked), the input NAME.x, the output NAME.y, a random upstream NAME.r and the input gradient
NAME.dx of sum(y * r); float32, seeded. LayerFixturesTest (nn module) rebuilds each layer in autodiff4j, loads the
state dict and requires the same outputs and input gradients (max abs difference 1e-5). `check` loads the
states autodiff4j wrote of the same cases into the PyTorch layers and compares their outputs with the ones it
holds (exit status 1 past 1e-5).
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def cases():
    """(name, layer, input shape, training) for each case, the layers seeded."""
    torch.manual_seed(0)
    return [
        ("conv", nn.Conv2d(3, 5, 3, stride=2, padding=1), (2, 3, 9, 9), True),
        ("conv_grouped", nn.Conv2d(4, 6, 3, stride=1, padding=2, dilation=2, groups=2), (2, 4, 7, 7), True),
        ("conv_rect", nn.Conv2d(2, 3, (2, 3), stride=(2, 1), padding=(3, 0), bias=False), (1, 2, 5, 6), True),
        ("convt", nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1), (2, 4, 5, 5), True),
        ("convt_outpad", nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), (2, 3, 4, 4), True),
        ("bn_train", nn.BatchNorm2d(4), (3, 4, 5, 5), True),
        ("bn_eval", nn.BatchNorm2d(4), (3, 4, 5, 5), False),
        ("bn1d", nn.BatchNorm1d(6), (5, 6), True),
        ("ln", nn.LayerNorm([3, 4, 4]), (2, 3, 4, 4), True),
        ("maxpool", nn.MaxPool2d(3, stride=2, padding=1), (2, 3, 7, 7), True),
        ("avgpool", nn.AvgPool2d(2, stride=2), (2, 3, 6, 6), True),
        ("upsample", nn.Upsample(scale_factor=2, mode="nearest"), (2, 3, 3, 4), True),
    ]


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy().astype(np.float32).copy(order="C")  # keeps 0-d shapes, unlike ascontiguousarray
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F32": np.float32, "F64": np.float64}
    return {name: np.frombuffer(raw[8 + n + e["data_offsets"][0]:8 + n + e["data_offsets"][1]],
                                dtype=dtypes[e["dtype"]]).reshape(e["shape"]) for name, e in header.items()}


def write(path):
    out = {}
    for name, layer, shape, training in cases():
        if name == "bn_eval":
            with torch.no_grad():
                layer.running_mean.uniform_(-0.5, 0.5)
                layer.running_var.uniform_(0.5, 1.5)
                layer.weight.uniform_(0.5, 1.5)
                layer.bias.uniform_(-0.5, 0.5)
        elif isinstance(layer, (nn.BatchNorm2d, nn.BatchNorm1d, nn.LayerNorm)):
            with torch.no_grad():
                layer.weight.uniform_(0.5, 1.5)
                layer.bias.uniform_(-0.5, 0.5)
        layer.train(training)
        for k, v in layer.state_dict().items():       # before the forward: what autodiff4j loads
            out[f"{name}.{k}"] = v.detach().clone().float()  # a copy: the forward updates the live buffers
        x = torch.randn(*shape, requires_grad=True)
        y = layer(x)
        r = torch.randn(*y.shape)
        (y * r).sum().backward()
        out[f"{name}.x"], out[f"{name}.y"], out[f"{name}.r"], out[f"{name}.dx"] = x, y, r, x.grad
        for k, v in layer.state_dict().items():       # after: a training batch norm's updated statistics
            if "running" in k or "num_batches" in k:
                out[f"{name}.after.{k}"] = v.float()
    write_safetensors(path, out)
    print(f"wrote {len(out)} tensors to {path}")


def check(path):
    theirs = read_safetensors(path)
    worst = 0.0
    for name, layer, shape, training in cases():
        state = {k[len(name) + 1:]: torch.from_numpy(np.array(v)) for k, v in theirs.items()
                 if k.startswith(name + ".") and k[len(name) + 1:] in layer.state_dict()}
        layer.load_state_dict(state, strict=True)
        layer.train(training)
        x = torch.from_numpy(np.array(theirs[f"{name}.x"]))
        with torch.no_grad():
            y = layer(x)
        d = float((y - torch.from_numpy(np.array(theirs[f"{name}.y"]))).abs().max())
        worst = max(worst, d)
        print(f"{name}: max abs difference {d:.2e}")
    print(f"worst {worst:.2e}")
    sys.exit(0 if worst <= 1e-5 else 1)


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
