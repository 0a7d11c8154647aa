"""PyTorch eager references of gen4j's benchmark workloads (examples/.../bench/Workloads.java).

Same layer sizes, losses, optimizers and batch as `gen4j bench`; written the usual PyTorch way
(fused F.group_norm, F.silu, torch.optim.Adam/AdamW with foreach). Change both sides together.
"""
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


# --- DDPM: the reference U-Net of `gen4j bench-ddpm` (32/64/128, 1 block per level, attention at 8x8) ---

def timestep_embedding(t, dim, max_period=10000.0):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)



class GroupNorm32(nn.GroupNorm):
    """GroupNorm computed in float32 and returned in its input's type, as the diffusion code bases write it
    (guided-diffusion, Stable Diffusion): a no-op in float32; under torch 1.13's CPU autocast, whose group_norm
    cannot take a bfloat16 input with float32 parameters ("expected scalar type BFloat16 but found Float"), it is
    what makes the U-Nets run (bench.py --autocast bf16)."""

    def forward(self, x):
        return super().forward(x.float()).type(x.dtype)


class LayerNorm32(nn.LayerNorm):
    """LayerNorm in float32, returned in its input's type: the same for torch 1.13's CPU autocast."""

    def forward(self, x):
        return super().forward(x.float()).type(x.dtype)

class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, groups=8):
        super().__init__()
        self.norm1 = GroupNorm32(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, cout)
        self.norm2 = GroupNorm32(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(F.silu(e))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class SelfAttention(nn.Module):
    def __init__(self, c, groups=8):
        super().__init__()
        self.norm = GroupNorm32(groups, c)
        self.qkv = nn.Linear(c, 3 * c)
        self.proj = nn.Linear(c, c)

    def forward(self, x):
        n, c, h, w = x.shape
        seq = self.norm(x).reshape(n, c, h * w).transpose(1, 2)
        q, k, v = self.qkv(seq).chunk(3, dim=2)
        a = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(c), dim=-1) @ v
        return x + self.proj(a).transpose(1, 2).reshape(n, c, h, w)


class UNet(nn.Module):
    def __init__(self, in_ch=1, base=32, mults=(1, 2, 4), groups=8):
        super().__init__()
        e = 4 * base
        self.base = base
        self.time = nn.Sequential(nn.Linear(base, e), nn.SiLU(), nn.Linear(e, e))
        self.inc = nn.Conv2d(in_ch, base, 3, padding=1)
        chans = [base * m for m in mults]
        levels = len(mults)
        self.down, self.down_attn, self.pool = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        skips = [base]
        c = base
        for i, ch in enumerate(chans):
            self.down.append(ResBlock(c, ch, e, groups))
            self.down_attn.append(SelfAttention(ch, groups) if i == levels - 1 else nn.Identity())
            c = ch
            skips.append(c)
            if i < levels - 1:
                self.pool.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
                skips.append(c)
        self.mid1 = ResBlock(c, c, e, groups)
        self.mid_attn = SelfAttention(c, groups)
        self.mid2 = ResBlock(c, c, e, groups)
        self.up, self.up_attn, self.upconv = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for i in reversed(range(levels)):
            ch = chans[i]
            blocks, attns = nn.ModuleList(), nn.ModuleList()
            for _ in range(2):
                blocks.append(ResBlock(c + skips.pop(), ch, e, groups))
                attns.append(SelfAttention(ch, groups) if i == levels - 1 else nn.Identity())
                c = ch
            self.up.append(blocks)
            self.up_attn.append(attns)
            if i > 0:
                self.upconv.append(nn.Conv2d(c, c, 3, padding=1))
        self.out_norm = GroupNorm32(groups, c)
        self.out = nn.Conv2d(c, in_ch, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, t):
        emb = self.time(timestep_embedding(t, self.base))
        h = self.inc(x)
        hs = [h]
        for i, (blk, attn) in enumerate(zip(self.down, self.down_attn)):
            h = attn(blk(h, emb))
            hs.append(h)
            if i < len(self.pool):
                h = self.pool[i](h)
                hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for k, (blocks, attns) in enumerate(zip(self.up, self.up_attn)):
            for blk, attn in zip(blocks, attns):
                h = attn(blk(torch.cat([h, hs.pop()], dim=1), emb))
            if k < len(self.upconv):
                h = self.upconv[k](F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.out(F.silu(self.out_norm(h)))


class Ddpm:
    family = "ddpm"
    sample_units = 10

    def __init__(self, batch=64):
        self.batch = batch
        self.net = UNet()
        betas = torch.linspace(1e-4, 0.02, 1000)
        self.abar = torch.cumprod(1 - betas, 0)
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=2e-4, weight_decay=0.0)  # as gen4j: no decay

    def train_step(self):
        x0 = torch.rand(self.batch, 1, 32, 32) * 2 - 1
        t = torch.randint(0, 1000, (self.batch,))
        eps = torch.randn_like(x0)
        a = self.abar[t][:, None, None, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * eps
        loss = F.mse_loss(self.net(xt, t), eps)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
        self.opt.step()

    @torch.inference_mode()
    def sample(self):
        ts = torch.linspace(999, 0, self.sample_units).round().long().tolist()
        x = torch.randn(self.batch, 1, 32, 32)
        for i, t in enumerate(ts):
            a = self.abar[t]
            a_prev = self.abar[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
            eps = self.net(x, torch.full((self.batch,), t))
            x0 = ((x - (1 - a).sqrt() * eps) / a.sqrt()).clamp(-1, 1)
            eps = (x - a.sqrt() * x0) / (1 - a).sqrt()
            x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
        return x


# --- VAE: topic 11-02's cpu preset (MLP 784-256-2x16 / 16-256-784, Bernoulli decoder) ---

class Vae:
    family = "vae"
    sample_units = 1

    def __init__(self, batch=128, hidden=256, latent=16):
        self.batch, self.latent = batch, latent
        self.enc = nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 2 * latent))
        self.dec = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784))
        self.opt = torch.optim.Adam(list(self.enc.parameters()) + list(self.dec.parameters()), lr=1e-3)

    def train_step(self):
        x = (torch.rand(self.batch, 1, 28, 28) > 0.5).float()
        mu, logvar = self.enc(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        logits = self.dec(z)
        rec = F.binary_cross_entropy_with_logits(logits, x.flatten(1), reduction="sum") / self.batch
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1).mean()
        loss = rec + kl
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()

    @torch.inference_mode()
    def sample(self):
        return torch.sigmoid(self.dec(torch.randn(self.batch, self.latent))).reshape(-1, 1, 28, 28)


# --- RealNVP 2-D: 16 affine couplings (MLP 2-64-64-4, SiLU), ActNorm, fixed rotations ---

class Coupling(nn.Module):
    def __init__(self, flip, hidden=64):
        super().__init__()
        self.register_buffer("mask", torch.tensor([0.0, 1.0] if flip else [1.0, 0.0]))
        self.net = nn.Sequential(nn.Linear(2, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
                                 nn.Linear(hidden, 4))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)
        self.alpha = nn.Parameter(torch.ones(1, 2))

    def st(self, x):
        s, t = self.net(x * self.mask).chunk(2, dim=1)
        inv = 1 - self.mask
        return torch.tanh(s) * self.alpha * inv, t * inv

    def forward(self, x):
        s, t = self.st(x)
        return x * s.exp() + t, s.sum(1)

    def inverse(self, y):
        s, t = self.st(y)
        return (y - t) * (-s).exp()


class RealNvp2d(nn.Module):
    def __init__(self, couplings=16, hidden=64):
        super().__init__()
        self.loc = nn.ParameterList([nn.Parameter(torch.zeros(1, 2)) for _ in range(couplings)])
        self.logs = nn.ParameterList([nn.Parameter(torch.zeros(1, 2)) for _ in range(couplings)])
        g = torch.Generator().manual_seed(0)
        self.register_buffer("rot", torch.stack([torch.linalg.qr(torch.randn(2, 2, generator=g))[0]
                                                 for _ in range(couplings)]))
        self.couplings = nn.ModuleList([Coupling(k % 2 == 1, hidden) for k in range(couplings)])

    def log_prob(self, x):
        logdet = torch.zeros(x.shape[0])
        for k, c in enumerate(self.couplings):
            x = (x + self.loc[k]) * self.logs[k].exp()
            logdet = logdet + self.logs[k].sum()
            x = x @ self.rot[k]
            x, ld = c(x)
            logdet = logdet + ld
        return -0.5 * (x.pow(2).sum(1) + 2 * math.log(2 * math.pi)) + logdet

    def sample(self, n):
        x = torch.randn(n, 2)
        for k in reversed(range(len(self.couplings))):
            x = self.couplings[k].inverse(x)
            x = x @ self.rot[k].T
            x = x * (-self.logs[k]).exp() - self.loc[k]
        return x


class RealNvp:
    family = "realnvp"
    sample_units = 1

    def __init__(self, batch=256):
        self.batch = batch
        self.flow = RealNvp2d()
        self.opt = torch.optim.Adam(self.flow.parameters(), lr=5e-3)

    def train_step(self):
        loss = -self.flow.log_prob(torch.randn(self.batch, 2)).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.flow.parameters(), 10.0)
        self.opt.step()

    @torch.inference_mode()
    def sample(self):
        return self.flow.sample(self.batch)


# --- DCGAN of `gen4j bench-gan`: latent 64, 32 base channels, two stride-2 stages, 1x28x28 ---

class Dcgan:
    family = "dcgan"
    sample_units = 1

    def __init__(self, batch=64, latent=64, width=32):
        self.batch, self.latent = batch, latent
        c0 = width * 2
        self.g = nn.Sequential(nn.Linear(latent, c0 * 7 * 7), nn.BatchNorm1d(c0 * 7 * 7), nn.ReLU(),
                               nn.Unflatten(1, (c0, 7, 7)),
                               nn.ConvTranspose2d(c0, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
                               nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
        self.d = nn.Sequential(nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),
                               nn.Conv2d(width, 2 * width, 4, 2, 1), nn.LeakyReLU(0.2),
                               nn.Flatten(), nn.Linear(2 * width * 7 * 7, 1))
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def train_step(self):
        real = torch.rand(self.batch, 1, 28, 28) * 2 - 1
        fake = self.g(torch.randn(self.batch, self.latent))
        d_loss = F.softplus(-self.d(real)).mean() + F.softplus(self.d(fake.detach())).mean()
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        fake = self.g(torch.randn(self.batch, self.latent))
        g_loss = F.softplus(-self.d(fake)).mean()
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()

    @torch.inference_mode()
    def sample(self):
        self.g.eval()
        x = self.g(torch.randn(self.batch, self.latent))
        self.g.train()
        return x




# --- Flow matching 2-D: topic 11-09's cpu toy (MLP field 2-128x3 on [x, emb(1000 t)], SiLU, straight path) ---

class MlpField(nn.Module):
    def __init__(self, dims=2, hidden=128, layers=3, time_dim=32, time_scale=1000.0):
        super().__init__()
        self.time_dim, self.time_scale = time_dim, time_scale
        mods, w = [], dims + time_dim
        for _ in range(layers):
            mods += [nn.Linear(w, hidden), nn.SiLU()]
            w = hidden
        mods.append(nn.Linear(w, dims))
        self.net = nn.Sequential(*mods)

    def forward(self, x, t):
        return self.net(torch.cat([x, timestep_embedding(t * self.time_scale, self.time_dim)], dim=1))


class FlowMatching:
    family = "flow-matching"
    sample_units = 100

    def __init__(self, batch=256):
        self.batch = batch
        self.field = MlpField()
        self.opt = torch.optim.Adam(self.field.parameters(), lr=3e-3)

    def train_step(self):
        x1 = torch.randn(self.batch, 2)  # the data batch (random points, as gen4j bench feeds)
        x0 = torch.randn_like(x1)
        t = torch.rand(self.batch)
        xt = (1 - t)[:, None] * x0 + t[:, None] * x1
        loss = F.mse_loss(self.field(xt, t), x1 - x0)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()

    @torch.inference_mode()
    def sample(self):
        x = torch.randn(self.batch, 2)
        dt = 1.0 / self.sample_units
        for i in range(self.sample_units):
            x = x + dt * self.field(x, torch.full((self.batch,), i * dt))
        return x


# --- PixelCNN: gated, 32 channels, 4 gated layers after a 7x7 first one, 3x3 after, Bernoulli, 1x28x28 ---

class MaskedConv2d(nn.Conv2d):
    def __init__(self, cin, cout, k, mask):
        super().__init__(cin, cout, k, padding=k // 2)
        self.register_buffer("mask", mask[None, None].expand_as(self.weight).clone())

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


def vertical_mask(k):
    m = torch.zeros(k, k)
    m[: k // 2 + 1] = 1  # rows above and the centre row
    return m


def horizontal_mask(k, first):
    m = torch.zeros(k, k)
    m[k // 2, : k // 2 + (0 if first else 1)] = 1  # centre row, left of (A) or up to (B) the centre
    return m


class GatedPixelCnn(nn.Module):
    def __init__(self, hidden=32, layers=4, first_kernel=7, kernel=3):
        super().__init__()
        self.hidden = hidden
        self.v, self.h, self.v2h, self.hout = (nn.ModuleList() for _ in range(4))
        for l in range(layers + 1):
            k = first_kernel if l == 0 else kernel
            cin = 1 if l == 0 else hidden
            self.v.append(MaskedConv2d(cin, 2 * hidden, k, vertical_mask(k)))
            self.h.append(MaskedConv2d(cin, 2 * hidden, k, horizontal_mask(k, l == 0)))
            self.v2h.append(nn.Conv2d(2 * hidden, 2 * hidden, 1))
            self.hout.append(nn.Conv2d(hidden, hidden, 1))
        self.head1 = nn.Conv2d(hidden, hidden, 1)
        self.head2 = nn.Conv2d(hidden, 1, 1)

    def gate(self, x):
        a, b = x.chunk(2, dim=1)
        return torch.tanh(a) * torch.sigmoid(b)

    def forward(self, x):
        x = 2 * x - 1
        v = h = x
        for l in range(len(self.v)):
            vpre = self.v[l](v)
            hpre = self.h[l](h) + self.v2h[l](F.pad(vpre, (0, 0, 1, 0))[:, :, :-1])
            v = self.gate(vpre)
            hout = self.hout[l](self.gate(hpre))
            h = hout if l == 0 else h + hout
        return self.head2(F.relu(self.head1(F.relu(h))))


class PixelCnn:
    """Sampler unit: one pixel of a whole 28x28 sample by the pixel-cached sampler (gen4j's
    PixelCnnSampler.PIXEL_CACHED; fast generation, Ramachandran et al. 2017): per row, the vertical stack on the row
    just drawn (each layer's input rows above kept); per pixel, each horizontal layer at the pixel's column from its
    input at the columns to the left, kept from the pixels before; the head; one Bernoulli draw.

    `sample` is that algorithm written the usual PyTorch way (the masked kernels made once per sample, a zero-padded
    buffer of each layer's input along the row, F.linear with the biases, the residual added). With the environment
    variable GEN4J_TORCH_PIXELCNN_SAMPLER=folded it runs `sample_folded` instead: the same sums arranged as gen4j's
    PixelSteps arranges them (constant terms folded into per-column tables, the context and the residual as addmm
    addends, every activation written with out= and in-place operations into buffers made once per sample), i.e. the
    same operations gen4j issues."""
    family = "pixelcnn"
    sample_units = 28 * 28

    def __init__(self, batch=32):
        self.batch = batch
        self.net = GatedPixelCnn()
        self.opt = torch.optim.Adam(self.net.parameters(), lr=2e-3)

    def train_step(self):
        x = (torch.rand(self.batch, 1, 28, 28) > 0.5).float()
        loss = F.binary_cross_entropy_with_logits(self.net(x), x, reduction="sum") / self.batch
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()

    def _fold(self, width):
        """The sampler's matrices, once per sample, as gen4j's PixelSteps makes them: vertical kernels cut to the rows
        above and the centre; per horizontal layer the taps of the centre row as tap-major matrices (from tap t0 on),
        the first layer's doubled (its input is 2x - 1 with x the drawn pixels); the residual stream kept without
        constants C_l chosen so that no layer adds a bias (C_last = 0, C_{l-1} = C_l - b_out,l; the first output
        convolution carries their sum); per column the constant part of the pre-activation (bias + the taps inside
        the row times the input's constant part: -1, then C_{l-1}); and the gate as one sigmoid: the f half of the
        kernels, tables and context doubled (tanh f = 2 sigmoid(2f) - 1), the output matrix [2 W_out, -W_out]."""
        net = self.net
        vertical = []
        for conv in net.v:
            p = conv.weight.shape[-1] // 2
            vertical.append(((conv.weight * conv.mask)[:, :, :p + 1].contiguous(), conv.bias, p))
        v2h = [(c.weight[:, :, 0, 0], c.bias) for c in net.v2h]
        layers, hidden = len(net.h), net.hidden
        scale = torch.cat([torch.full((hidden,), 2.0), torch.ones(hidden)])
        constant = [None] * layers
        constant[-1] = torch.zeros(hidden)
        for l in range(layers - 1, 0, -1):
            constant[l - 1] = constant[l] - net.hout[l].bias
        first_bias = net.hout[0].bias - constant[0]
        horizontal = []
        for l, conv in enumerate(net.h):
            p = conv.weight.shape[-1] // 2
            n_taps = p if l == 0 else p + 1  # tap t reads column j - p + t: mask A up to j - 1, mask B up to j
            taps = (conv.weight * conv.mask)[:, :, p, :n_taps].permute(0, 2, 1)  # (out, taps, in)
            out, _, cin = taps.shape
            a = -torch.ones(cin) if l == 0 else constant[l - 1]
            per_tap = taps @ a  # (out, taps)
            inside = torch.tensor([[1.0 if j - p + t >= 0 else 0.0 for t in range(n_taps)] for j in range(width)])
            offsets = (inside @ per_tap.t() + conv.bias) * scale
            matrix = taps.reshape(out, n_taps * cin) * scale[:, None] * (2 if l == 0 else 1)
            weights = [matrix[:, t0 * cin:].t().contiguous() for t0 in range(n_taps)]
            w_out = net.hout[l].weight[:, :, 0, 0]
            horizontal.append((weights, offsets, p, n_taps, torch.cat([2 * w_out, -w_out], 1).t().contiguous()))
        head = (net.head1.weight[:, :, 0, 0], net.head1.bias, net.head2.weight[:, :, 0, 0], net.head2.bias)
        return vertical, v2h, horizontal, (first_bias, scale), head

    @staticmethod
    def _vertical_row(net, vertical, kept, previous):
        """The vertical stack on row i - 1 alone (its layers' input rows above kept): per layer, the (n, W, 2C)
        context the horizontal stack of row i gets."""
        x = 2 * previous - 1
        context = []
        for l, (w, b, p) in enumerate(vertical):
            pre = F.conv2d(torch.cat(kept[l] + [x], 2) if kept[l] else x, w, b, padding=(0, p))
            context.append(F.conv2d(pre, net.v2h[l].weight, net.v2h[l].bias)[:, :, 0].transpose(1, 2))
            if kept[l]:
                kept[l] = kept[l][1:] + [x]
            x = net.gate(pre)
        return context

    @torch.inference_mode()
    def sample(self, record=None):
        if os.environ.get("GEN4J_TORCH_PIXELCNN_SAMPLER") == "folded":
            return self.sample_folded(record)
        net, n, height, width = self.net, self.batch, 28, 28
        layers = len(net.v)
        vertical = []
        for conv in net.v:
            p = conv.weight.shape[-1] // 2
            vertical.append(((conv.weight * conv.mask)[:, :, :p + 1].contiguous(), conv.bias, p))
        horizontal = []  # per layer: the centre row's taps up to column j - 1 (mask A) or j (mask B), flattened
        for l, conv in enumerate(net.h):
            p = conv.weight.shape[-1] // 2
            taps = p if l == 0 else p + 1
            w = (conv.weight * conv.mask)[:, :, p, :taps]  # (out, in, taps)
            horizontal.append((w.permute(0, 2, 1).reshape(w.shape[0], -1).contiguous(), conv.bias, p, taps))
        image = torch.zeros(n, 1, height, width)
        kept = [[torch.zeros(n, w.shape[1], 1, width) for _ in range(p)] for (w, _, p) in vertical]
        for i in range(height):
            if i == 0:
                context = [c.bias.expand(n, width, -1) for c in net.v2h]  # the 1x1 convolution of zeros
            else:
                context = self._vertical_row(net, vertical, kept, image[:, :, i - 1:i])
            # each layer's input along the row, its first p columns the zero padding: column c at index p + c
            rows = [torch.zeros(n, p + width, w.shape[1] // taps) for (w, _, p, taps) in horizontal]
            for j in range(width):
                h = None
                for l, (w, b, p, taps) in enumerate(horizontal):
                    pre = F.linear(rows[l][:, j:j + taps].reshape(n, -1), w, b) + context[l][:, j]
                    a, g = pre.chunk(2, 1)
                    out = F.linear(torch.tanh(a) * torch.sigmoid(g), net.hout[l].weight[:, :, 0, 0], net.hout[l].bias)
                    h = out if h is None else h + out
                    if l + 1 < layers:
                        rows[l + 1][:, horizontal[l + 1][2] + j] = h
                y = F.relu(F.linear(F.relu(h), net.head1.weight[:, :, 0, 0], net.head1.bias))
                logits = F.linear(y, net.head2.weight[:, :, 0, 0], net.head2.bias)[:, 0]
                if record is not None:
                    record.append(logits)
                d = torch.bernoulli(torch.sigmoid(logits))
                image[:, 0, i, j] = d
                rows[0][:, horizontal[0][2] + j, 0] = 2 * d - 1
        return image

    @torch.inference_mode()
    def sample_folded(self, record=None):
        net, n, height, width = self.net, self.batch, 28, 28
        vertical, v2h, horizontal, (first_bias, scale), head = self._fold(width)
        layers, hidden = len(vertical), net.hidden
        image = torch.zeros(n, 1, height, width)
        kept = [[torch.zeros(n, w.shape[1], 1, width) for _ in range(p)] for (w, _, p) in vertical]
        # the buffers and their per-column views, made once per sample as gen4j's PixelBuffers: each layer's input
        # along the row behind its zero padding, (n, (pad + W)·C_in); a pixel's taps are one view, and the layer below
        # writes its output for the pixel's column into this layer's slot
        taps, slots, matrices = [], [], []
        for l, (weights, _, pad, n_taps, _) in enumerate(horizontal):
            cin = weights[0].shape[0] // n_taps
            row = torch.zeros(n, (pad + width) * cin)
            taps.append([row[:, j * cin:(j + n_taps) * cin] for j in range(width)])
            slots.append([row[:, pad + j] if l == 0 else row[:, (pad + j) * cin:(pad + j + 1) * cin]
                          for j in range(width)])
            matrices.append(weights[0])
        contexts = torch.empty(width, n, layers * 2 * hidden)
        context_views = [[contexts[j, :, l * 2 * hidden:(l + 1) * 2 * hidden] for l in range(layers)]
                         for j in range(width)]
        pre = torch.empty(n, 2 * hidden)
        pre_f, pre_g = pre[:, :hidden], pre[:, hidden:]
        last, y = torch.empty(n, hidden), torch.empty(n, hidden)
        offsets = torch.cat([h[1] for h in horizontal], 1)  # (W, L·2C)
        context_scale = scale.repeat(layers)
        head1_t = head[0].t()
        for i in range(height):
            if i == 0:
                context = [b.expand(n, width, -1) for (_, b) in v2h]  # the 1x1 convolution of zeros
            else:
                x = 2 * image[:, :, i - 1:i] - 1
                context = []
                for l, (w, b, p) in enumerate(vertical):
                    pr = F.conv2d(torch.cat(kept[l] + [x], 2) if kept[l] else x, w, b, padding=(0, p))
                    context.append(F.linear(pr[:, :, 0].transpose(1, 2), *v2h[l]))
                    if kept[l]:
                        kept[l] = kept[l][1:] + [x]
                    x = net.gate(pr)
            contexts.copy_((torch.cat(context, 2) * context_scale + offsets).transpose(0, 1))
            for j in range(width):
                for l in range(layers):
                    torch.addmm(context_views[j][l], taps[l][j], matrices[l], out=pre)
                    pre.sigmoid_()
                    pre_f.mul_(pre_g)
                    torch.addmm(first_bias if l == 0 else slots[l][j], pre, horizontal[l][4],
                                out=slots[l + 1][j] if l + 1 < layers else last)
                last.relu_()
                torch.addmm(head[1], last, head1_t, out=y)
                y.relu_()
                logits = F.linear(y, head[2], head[3])[:, 0]
                if record is not None:
                    record.append(logits)
                d = torch.bernoulli(torch.sigmoid(logits))
                image[:, 0, i, j] = d
                slots[0][j].copy_(d)
        return image


# --- WaveNet: topic 11-10's cpu model (32 residual / 64 skip, dilations 1..128, kernel 2, 256 mu-law classes) ---

def mu_law_encode(x, mu=255):
    y = torch.sign(x) * torch.log1p(mu * x.abs()) / math.log1p(mu)
    return ((y + 1) / 2 * mu + 0.5).long().clamp(0, mu)


class WaveNetNet(nn.Module):
    def __init__(self, residual=32, skip=64, layers=8, classes=256):
        super().__init__()
        self.r, self.classes = residual, classes
        self.dilations = [2 ** l for l in range(layers)]
        self.input = nn.Conv1d(classes, residual, 1)  # on the one-hot shifted by one step: sees x_{t-1}
        self.dilated = nn.ModuleList([nn.Conv1d(residual, 2 * residual, 2, dilation=d) for d in self.dilations])
        self.res = nn.ModuleList([nn.Conv1d(residual, residual, 1) for _ in self.dilations])
        self.skip = nn.ModuleList([nn.Conv1d(residual, skip, 1) for _ in self.dilations])
        self.head1 = nn.Conv1d(skip, skip, 1)
        self.head2 = nn.Conv1d(skip, classes, 1)

    def forward(self, one_hot):
        h = self.input(F.pad(one_hot, (1, 0))[:, :, :-1])
        s = 0
        for d, conv, res, skip in zip(self.dilations, self.dilated, self.res, self.skip):
            a, b = conv(F.pad(h, (d, 0))).chunk(2, dim=1)
            z = torch.tanh(a) * torch.sigmoid(b)
            s = s + skip(z)
            h = h + res(z)
        return self.head2(F.relu(self.head1(F.relu(s))))


class WaveNet:
    """Sampler unit: one generated sample of the fast (queue) generator (Paine et al. 2016): per layer
    the cached input d steps back, two small products, the gate, the residual; one product for the
    skips; 256-way draw."""
    family = "wavenet"
    sample_units = 256
    length = 512

    def __init__(self, batch=16):
        self.batch = batch
        self.net = WaveNetNet()
        self.opt = torch.optim.Adam(self.net.parameters(), lr=3e-3)

    def train_step(self):
        wave = torch.rand(self.batch, 1, self.length) * 2 - 1
        classes = mu_law_encode(wave[:, 0])
        one_hot = F.one_hot(classes, self.net.classes).float().transpose(1, 2)
        loss = F.cross_entropy(self.net(one_hot), classes)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()

    @torch.inference_mode()
    def sample(self):
        net, n = self.net, self.batch
        embed = net.input.weight[:, :, 0].t() + net.input.bias  # (classes, R): the input conv of a one-hot
        queues = [torch.zeros(d, n, net.r) for d in net.dilations]
        w_past = [c.weight[:, :, 0] for c in net.dilated]
        w_now = [c.weight[:, :, 1] for c in net.dilated]
        out = []
        a = net.input.bias.expand(n, net.r)
        for t in range(self.sample_units):
            s = 0
            for l, d in enumerate(net.dilations):
                past = queues[l][t % d]
                pre = F.linear(past, w_past[l]) + F.linear(a, w_now[l], net.dilated[l].bias)
                queues[l][t % d] = a
                f, g = pre.chunk(2, dim=1)
                z = torch.tanh(f) * torch.sigmoid(g)
                s = s + F.linear(z, net.skip[l].weight[:, :, 0], net.skip[l].bias)
                a = a + F.linear(z, net.res[l].weight[:, :, 0], net.res[l].bias)
            y = F.relu(F.linear(F.relu(s), net.head1.weight[:, :, 0], net.head1.bias))
            logits = F.linear(y, net.head2.weight[:, :, 0], net.head2.bias)
            x = torch.multinomial(torch.softmax(logits, dim=1), 1)[:, 0]
            out.append(x)
            a = embed[x]
        return torch.stack(out, 1)


# --- Latent diffusion: topic 11-06's cpu preset (LatentDiffusionPreset.textToImage32(), FashionMNIST 1x32x32) ---

class KlAutoencoder(nn.Module):
    """The first stage (gen-autoencoders' KlAutoencoder, width 32, c_z = 4, f = 4): frozen; the topic encodes
    the training images once, so neither the encoder nor the decoder runs in the timed steps."""

    def __init__(self, channels=1, latent=4, width=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(channels, width, 4, 2, 1), nn.ReLU(),
                                     nn.Conv2d(width, 2 * width, 4, 2, 1), nn.ReLU(),
                                     nn.Conv2d(2 * width, 2 * latent, 1))  # mean and log-variance
        self.decoder = nn.Sequential(nn.Conv2d(latent, 2 * width, 3, padding=1), nn.ReLU(),
                                     nn.Upsample(scale_factor=2), nn.Conv2d(2 * width, width, 3, padding=1), nn.ReLU(),
                                     nn.Upsample(scale_factor=2), nn.Conv2d(width, channels, 3, padding=1))


class TextLayer(nn.Module):
    """Pre-norm transformer layer (gen-core's TransformerBlock): attention with padded keys masked, MLP 4D GELU."""

    def __init__(self, d, heads):
        super().__init__()
        self.norm1 = LayerNorm32(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)  # qkv and output projections with biases
        self.norm2 = LayerNorm32(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, h, padding):
        a = self.norm1(h)
        h = h + self.attn(a, a, a, key_padding_mask=padding, need_weights=False)[0]
        return h + self.mlp(self.norm2(h))


class TextEncoder(nn.Module):
    """gen-diffusion's TextEncoder: token + learned position embeddings, pre-norm layers, final LayerNorm."""

    def __init__(self, vocab, length, d=64, depth=2, heads=4):
        super().__init__()
        self.tokens = nn.Embedding(vocab, d)
        self.positions = nn.Parameter(torch.randn(length, d) * 0.02)
        self.layers = nn.ModuleList([TextLayer(d, heads) for _ in range(depth)])
        self.norm = LayerNorm32(d)

    def forward(self, ids, mask):
        h = self.tokens(ids) + self.positions
        padding = mask == 0
        for layer in self.layers:
            h = layer(h, padding)
        return self.norm(h)


def attention(q, k, v, heads, bias=None):
    """Multi-head softmax(Q·Kᵀ/√d + bias)·V on (N, L, C) sequences; bias (N, Lk) (−1e9 on padded keys)."""
    n, lq, c = q.shape
    lk, d = k.shape[1], c // heads
    q = q.reshape(n, lq, heads, d).transpose(1, 2)
    k = k.reshape(n, lk, heads, d).transpose(1, 2)
    v = v.reshape(n, lk, heads, d).transpose(1, 2)
    scores = q @ k.transpose(2, 3) / math.sqrt(d)
    if bias is not None:
        scores = scores + bias[:, None, None, :]
    return (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(n, lq, c)


class SpatialTransformer(nn.Module):
    """Stable Diffusion's spatial transformer (gen-core's SpatialTransformer): GroupNorm, proj_in, self-attention,
    cross-attention to the text (Q from the map, K and V from the context, no biases), GEGLU 4C, zero proj_out."""

    def __init__(self, c, heads, groups, context):
        super().__init__()
        self.heads = heads
        self.norm = GroupNorm32(groups, c, eps=1e-6)
        self.proj_in = nn.Linear(c, c)
        self.norm1 = LayerNorm32(c)
        self.qkv = nn.Linear(c, 3 * c, bias=False)
        self.attn1_out = nn.Linear(c, c)
        self.norm2 = LayerNorm32(c)
        self.q = nn.Linear(c, c, bias=False)
        self.k = nn.Linear(context, c, bias=False)
        self.v = nn.Linear(context, c, bias=False)
        self.attn2_out = nn.Linear(c, c)
        self.norm3 = LayerNorm32(c)
        self.ff_in = nn.Linear(c, 8 * c)
        self.ff_out = nn.Linear(4 * c, c)
        self.proj_out = nn.Linear(c, c)
        nn.init.zeros_(self.proj_out.weight)
        nn.init.zeros_(self.proj_out.bias)

    def forward(self, x, ctx, bias):
        n, c, hh, ww = x.shape
        h = self.proj_in(self.norm(x).reshape(n, c, hh * ww).transpose(1, 2))
        q, k, v = self.qkv(self.norm1(h)).chunk(3, dim=2)
        h = h + self.attn1_out(attention(q, k, v, self.heads))
        b = self.norm2(h)
        h = h + self.attn2_out(attention(self.q(b), self.k(ctx), self.v(ctx), self.heads, bias))
        a, g = self.ff_in(self.norm3(h)).chunk(2, dim=2)
        h = h + self.ff_out(a * F.gelu(g))
        return x + self.proj_out(h).transpose(1, 2).reshape(n, c, hh, ww)


class LatentUNet(nn.Module):
    """The latent U-Net of the preset (gen-core's UNet with SpatialTransformer.factory()): levels base x mults, one
    residual block per level down and two up, spatial transformers (instead of self-attention) at the last level
    and in the middle."""

    def __init__(self, ch=4, base=64, mults=(1, 2), groups=8, heads=4, context=64):
        super().__init__()
        e = 4 * base
        self.base = base
        self.time = nn.Sequential(nn.Linear(base, e), nn.SiLU(), nn.Linear(e, e))
        self.inc = nn.Conv2d(ch, base, 3, padding=1)
        chans = [base * m for m in mults]
        levels = len(mults)
        st = lambda c: SpatialTransformer(c, heads, groups, context)
        self.down, self.down_attn, self.pool = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        skips = [base]
        c = base
        for i, cc in enumerate(chans):
            self.down.append(ResBlock(c, cc, e, groups))
            self.down_attn.append(st(cc) if i == levels - 1 else None)
            c = cc
            skips.append(c)
            if i < levels - 1:
                self.pool.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
                skips.append(c)
        self.mid1 = ResBlock(c, c, e, groups)
        self.mid_attn = st(c)
        self.mid2 = ResBlock(c, c, e, groups)
        self.up, self.up_attn, self.upconv = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for i in reversed(range(levels)):
            blocks, attns = nn.ModuleList(), nn.ModuleList()
            for _ in range(2):
                blocks.append(ResBlock(c + skips.pop(), chans[i], e, groups))
                attns.append(st(chans[i]) if i == levels - 1 else None)
                c = chans[i]
            self.up.append(blocks)
            self.up_attn.append(attns)
            if i > 0:
                self.upconv.append(nn.Conv2d(c, c, 3, padding=1))
        self.out_norm = GroupNorm32(groups, c)
        self.out = nn.Conv2d(c, ch, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, t, ctx, mask):
        bias = (1 - mask) * -1e9
        apply = lambda attn, h: h if attn is None else attn(h, ctx, bias)
        emb = self.time(timestep_embedding(t, self.base))
        h = self.inc(x)
        hs = [h]
        for i, (blk, attn) in enumerate(zip(self.down, self.down_attn)):
            h = apply(attn, blk(h, emb))
            hs.append(h)
            if i < len(self.pool):
                h = self.pool[i](h)
                hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb), ctx, bias), emb)
        for k, (blocks, attns) in enumerate(zip(self.up, self.up_attn)):
            for blk, attn in zip(blocks, attns):
                h = apply(attn, blk(torch.cat([h, hs.pop()], dim=1), emb))
            if k < len(self.upconv):
                h = self.upconv[k](F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.out(F.silu(self.out_norm(h)))


class LatentDiffusion:
    """Training step: ε-MSE on random 4x8x8 latents (pre-encoded, as the topic trains) with captions, the null
    caption with probability 0.1, the text encoder and U-Net trained jointly, AdamW (no weight decay) on warm-up
    100 + cosine 1e-3 -> 1e-4 over 1200 updates, clip 1, EMA 0.995 (with warm-up). Sampler unit: one guided DDIM
    step (w = 3) of 20, the captions and the null captions in one U-Net call (2 x batch); the prompts are
    encoded once, before the loop (as diffusers' pipeline)."""
    family = "latent-diffusion"
    sample_units = 20
    # LabelCaptions.FASHION_MNIST: 46 words + <pad>, <start>, <unk>; the longest caption has 9 words + <start>
    vocab, length = 49, 10
    steps, p_uncond, guidance, ema_decay = 1200, 0.1, 3.0, 0.995

    def __init__(self, batch=64):
        self.batch = batch
        self.autoencoder = KlAutoencoder().requires_grad_(False).eval()
        self.text = TextEncoder(self.vocab, self.length)
        self.unet = LatentUNet()
        self.params = list(self.unet.parameters()) + list(self.text.parameters())
        self.opt = torch.optim.AdamW(self.params, lr=1e-3, weight_decay=0.0)
        warmup, lo = 100, 0.1

        def rate(u):  # LearningRateSchedule.cosine, as a factor of the peak
            if u < warmup:
                return (u + 1) / warmup
            return lo + (1 - lo) * 0.5 * (1 + math.cos(math.pi * min(1.0, (u - warmup) / (self.steps - warmup))))
        self.schedule = torch.optim.lr_scheduler.LambdaLR(self.opt, rate)
        self.ema = [p.detach().clone() for p in self.params]
        self.updates = 0
        self.abar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000), 0)
        self.null_ids = torch.zeros(1, self.length, dtype=torch.long)
        self.null_ids[:, 0] = 1
        with torch.no_grad():
            ids = torch.cat([self.captions(batch), self.null_ids.expand(batch, -1)])
            self.mask = (ids != 0).float()
            self.context = self.text(ids, self.mask)

    def captions(self, n):
        """Token ids of n captions: <start>, 1 to 9 words, padding (what the tokenizer makes of the captions)."""
        words = torch.randint(1, self.length, (n, 1))
        ids = torch.randint(3, self.vocab, (n, self.length))
        ids[:, 0] = 1
        return ids.masked_fill(torch.arange(self.length)[None] > words, 0)

    def parameter_counts(self):
        count = lambda m: sum(p.numel() for p in m.parameters())
        return {"unet": count(self.unet), "text encoder": count(self.text), "autoencoder": count(self.autoencoder)}

    def train_step(self):
        z0 = torch.randn(self.batch, 4, 8, 8)
        ids = torch.where(torch.rand(self.batch, 1) < self.p_uncond, self.null_ids, self.captions(self.batch))
        mask = (ids != 0).float()
        t = torch.randint(0, 1000, (self.batch,))
        eps = torch.randn_like(z0)
        a = self.abar[t][:, None, None, None]
        zt = a.sqrt() * z0 + (1 - a).sqrt() * eps
        loss = F.mse_loss(self.unet(zt, t, self.text(ids, mask), mask), eps)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.params, 1.0)
        self.opt.step()
        self.schedule.step()
        with torch.no_grad():
            d = min(self.ema_decay, (1 + self.updates) / (10 + self.updates))
            torch._foreach_mul_(self.ema, d)
            torch._foreach_add_(self.ema, self.params, alpha=1 - d)
        self.updates += 1

    @torch.inference_mode()
    def sample(self):
        ts = torch.linspace(999, 0, self.sample_units).round().long().tolist()
        z = torch.randn(self.batch, 4, 8, 8)
        for i, t in enumerate(ts):
            a = self.abar[t]
            a_prev = self.abar[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
            cond, uncond = self.unet(torch.cat([z, z]), torch.full((2 * self.batch,), t), self.context,
                                     self.mask).chunk(2)
            eps = uncond + self.guidance * (cond - uncond)
            x0 = (z - (1 - a).sqrt() * eps) / a.sqrt()
            z = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
        return z


FAMILIES = {"ddpm": Ddpm, "vae": Vae, "realnvp": RealNvp, "dcgan": Dcgan, "flow-matching": FlowMatching,
            "pixelcnn": PixelCnn, "wavenet": WaveNet, "latent-diffusion": LatentDiffusion}
