"""Multiply-adds of one forward pass of the latent-diffusion reference's U-Net per latent, counted on the module
tree (every Conv2d and Linear output element times its inputs per output, plus both attention products), to check
gen4j's analytic count (Workloads.LatentDiffusionWorkload):  /usr/bin/python3 bench/pytorch/macs.py"""
import torch
import torch.nn as nn

import models

torch.set_num_threads(1)
torch.manual_seed(0)
m = models.LatentDiffusion(1)
macs = [0]


def conv(mod, inputs, out):
    macs[0] += out.numel() * mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]


def linear(mod, inputs, out):
    macs[0] += out.numel() * mod.in_features


for mod in m.unet.modules():
    if isinstance(mod, nn.Conv2d):
        mod.register_forward_hook(conv)
    elif isinstance(mod, nn.Linear):
        mod.register_forward_hook(linear)
attention = models.attention


def counted(q, k, v, heads, bias=None):
    macs[0] += 2 * q.shape[0] * q.shape[1] * k.shape[1] * q.shape[2]  # Q·Kᵀ and A·V over all heads
    return attention(q, k, v, heads, bias)


models.attention = counted
with torch.no_grad():
    m.unet(torch.randn(1, 4, 8, 8), torch.tensor([500]), m.context[:1], m.mask[:1])
print(f"latent U-Net: {macs[0]:,} multiply-adds per latent (context of {m.length} tokens)")
