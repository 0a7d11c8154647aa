#!/usr/bin/env python3
"""An untrained Inception-v3 with the forward signature of inception-2015-12-05.pt, for timing only.

Same architecture and input handling cost as the real file (resize to 299x299, 2048-d pool
features, 1008-way softmax), random weights, so MetricsBenchmark can report realistic extraction
images/s without the real (user-supplied) file. About 95 MB: not committed.

    /usr/bin/python3 gen-eval/src/test/python/make_inception_shaped_model.py /tmp/inception-shaped.pt
(needs Debian's python3-torch and python3-torchvision)
"""
import sys

import torch
import torchvision


class InceptionShaped(torch.nn.Module):
    def __init__(self):
        super().__init__()
        net = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False)
        net.fc = torch.nn.Identity()
        self.net = net.eval()
        self.output = torch.nn.Linear(2048, 1008)

    def forward(self, img: torch.Tensor, return_features: bool = False, use_fp16: bool = False,
                no_output_bias: bool = False) -> torch.Tensor:
        batch_size, channels, height, width = img.shape
        assert channels == 3
        x = img.to(torch.float32)
        x = torch.nn.functional.interpolate(x, size=[299, 299], mode="bilinear", align_corners=False)
        x = (x - 128.0) / 128.0
        out, _ = self.net._forward(x)  # (features, aux); fc is the identity
        features = out.reshape(-1, 2048)
        if return_features:
            return features
        if no_output_bias:
            logits = torch.nn.functional.linear(features, self.output.weight)
        else:
            logits = self.output(features)
        return torch.nn.functional.softmax(logits, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    torch.jit.script(InceptionShaped().eval()).save(sys.argv[1] if len(sys.argv) > 1 else "inception-shaped.pt")
