#!/usr/bin/env python3
"""A tiny TorchScript stand-in for inception-2015-12-05.pt (clean-fid / StyleGAN2-ADA).

The real file's forward is
    forward(img: Tensor, return_features: bool = False, use_fp16: bool = False,
            no_output_bias: bool = False) -> Tensor
taking NCHW RGB with values in [0, 255] (any size; it resizes to 299 internally) and returning either
the 2048-d pool features (return_features=True) or the 1008-way softmax probabilities, with or
without the output layer's bias (no_output_bias=True is the Inception-Score convention).

This stand-in keeps that signature and those output shapes but is a few KB: a 4x4 average pool,
one small learned projection, and fixed (formula-generated) wide matrices. It has no convolution.
It writes src/test/resources/io/gen4j/eval/tiny-inception.pt and tiny-inception-expected.json
(outputs for a fixed input, so the Java test checks the DJL path against PyTorch).

Run with Debian's python: /usr/bin/python3 gen-eval/src/test/python/make_tiny_inception.py
"""
import json
import os

import torch


class TinyInception(torch.nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.proj = torch.nn.Parameter(0.5 * torch.randn(48, 16, generator=g))
        self.output_bias = torch.nn.Parameter(torch.randn(1008, generator=g))

    def forward(self, img: torch.Tensor, return_features: bool = False, use_fp16: bool = False,
                no_output_bias: bool = False) -> torch.Tensor:
        batch_size, channels, height, width = img.shape
        assert channels == 3
        x = img.to(torch.float16 if use_fp16 else torch.float32).to(torch.float32)
        x = (x - 128.0) / 128.0
        pooled = torch.nn.functional.adaptive_avg_pool2d(x, [4, 4]).reshape(batch_size, 48)
        h = torch.tanh(pooled @ self.proj)
        i = torch.arange(16, dtype=torch.float32).reshape(16, 1)
        j = torch.arange(2048, dtype=torch.float32).reshape(1, 2048)
        wide = torch.cos(0.37 * (i + 1.0) * j + 0.1 * i)
        features = torch.relu(h @ wide)
        if return_features:
            return features
        c = torch.arange(1008, dtype=torch.float32).reshape(1008, 1)
        out_w = 0.02 * torch.sin(0.011 * (c + 1.0) * j + 0.3 * c)
        logits = features @ out_w.t()
        if not no_output_bias:
            logits = logits + self.output_bias
        return torch.nn.functional.softmax(logits, dim=1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, "..", "resources", "io", "gen4j", "eval")
    module = torch.jit.script(TinyInception().eval())
    path = os.path.join(out_dir, "tiny-inception.pt")
    module.save(path)

    # fixed input: two 3x8x8 images with integer values in [0, 255]
    img = (torch.arange(2 * 3 * 8 * 8, dtype=torch.float32).reshape(2, 3, 8, 8) * 37) % 256
    loaded = torch.jit.load(path)
    with torch.no_grad():
        feats = loaded(img, return_features=True)
        probs = loaded(img, no_output_bias=True)
        probs_bias = loaded(img)
    expected = {
        "input_formula": "(arange(2*3*8*8).reshape(2,3,8,8) * 37) % 256",
        "features_shape": list(feats.shape),
        "features_first_row_first_8": feats[0, :8].tolist(),
        "features_sum": float(feats.double().sum()),
        "probs_shape": list(probs.shape),
        "probs_no_bias_first_8": probs[0, :8].tolist(),
        "probs_with_bias_first_8": probs_bias[0, :8].tolist(),
    }
    with open(os.path.join(out_dir, "tiny-inception-expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(os.path.getsize(path), "bytes;", expected["features_shape"], expected["probs_shape"])


if __name__ == "__main__":
    main()
