"""PyTorch eager references of gen4j's benchmark workloads (examples/.../bench/Workloads.java).

Same layer sizes, losses, optimizers and batch as `gen4j bench`; written the usual PyTorch way
(fused F.group_norm, F.silu, torch.optim.Adam/AdamW with foreach). Change both sides together.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


# --- DDPM: the reference U-Net of `gen4j bench-ddpm` (32/64/128, 1 block per level, attention at 8x8) ---

def timestep_embedding(t, dim, max_period=10000.0):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, groups=8):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
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
        self.norm = nn.GroupNorm(groups, c)
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
        self.out_norm = nn.GroupNorm(groups, c)
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
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=2e-4)

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


FAMILIES = {"ddpm": Ddpm, "vae": Vae, "realnvp": RealNvp, "dcgan": Dcgan}
