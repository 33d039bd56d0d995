#!/usr/bin/python3
"""Generate the PyTorch golden models for Divergence Dojo.

For every golden NAME this script writes, into the folder that holds this
script:

  NAME.pt   a TorchScript module (torch.jit.script, eval mode, parameters with
            requires_grad=False), saved with torch.jit.save; the Java side
            loads it through DJL's PyTorch engine;
  NAME.npz  example inputs and the expected outputs, written with numpy.savez
            (uncompressed). Floating arrays are float32, integer inputs are
            int64, masks are stored as float32 0/1.

Goldens: layer_norm, rms_norm, rope_half_split, rope_adjacent_pairs,
swiglu_ffn, gqa_attention, multihead_attention,
multihead_attention_padding_only, encoder_layer_prenorm,
encoder_layer_postnorm. See README.md in this folder for shapes, parameter
names and conventions.

Run from the project root with Debian's python3-torch (the pyenv python3 on
PATH has no torch):

    /usr/bin/python3 golden/generate.py

The Maven build never runs this script; the generated .pt and .npz files are
committed. Everything is seeded (torch.manual_seed per golden), so re-running
reproduces the same values. After writing each golden the script reloads the
.pt with torch.jit.load, checks that it reproduces `out` to 1e-6, and prints
the parameter names/shapes and the file sizes.

Shape letters: B batch, T tokens, C model width, H heads, D head size.
"""

import math
import pathlib

import numpy
import torch
from torch import Tensor, nn

OUT_DIR = pathlib.Path(__file__).parent
TOLERANCE = 1e-6

torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

def randomize_norm(norm: nn.Module) -> None:
    """LayerNorm-like: weight = 1 + 0.1*randn, bias = 0.1*randn (away from 1/0)."""
    with torch.no_grad():
        norm.weight.copy_(1.0 + 0.1 * torch.randn_like(norm.weight))
        if getattr(norm, "bias", None) is not None:
            norm.bias.copy_(0.1 * torch.randn_like(norm.bias))


def freeze(module: nn.Module) -> nn.Module:
    """eval() mode and requires_grad=False on every parameter."""
    module.eval()
    for p in module.parameters():
        p.requires_grad_(False)
    return module


def save_golden(name: str, module: nn.Module, inputs: dict, outputs: dict) -> None:
    """Script + save NAME.pt, save NAME.npz, then reload and verify.

    `inputs` maps npz key -> tensor, in the order of the module's forward()
    arguments. `outputs` maps npz key -> (expected) tensor; the key "out" must
    be what module(*inputs.values()) returns.
    """
    scripted = torch.jit.script(module)
    pt_path = OUT_DIR / f"{name}.pt"
    npz_path = OUT_DIR / f"{name}.npz"
    torch.jit.save(scripted, str(pt_path))

    arrays = {}
    for key, value in list(inputs.items()) + list(outputs.items()):
        array = value.detach().numpy()
        if array.dtype == numpy.bool_:
            array = array.astype(numpy.float32)
        assert array.dtype in (numpy.float32, numpy.int64), (name, key, array.dtype)
        arrays[key] = array
    with open(npz_path, "wb") as f:
        numpy.savez(f, **arrays)

    # Verify: the reloaded TorchScript module reproduces `out` from the npz.
    loaded = torch.jit.load(str(pt_path))
    loaded.eval()
    stored = numpy.load(npz_path)
    args = [torch.from_numpy(stored[key]) for key in inputs]
    with torch.no_grad():
        reproduced = loaded(*args).numpy()
    expected = stored["out"]
    assert not numpy.isnan(expected).any(), f"{name}: NaN in out"
    diff = float(numpy.abs(reproduced - expected).max())
    assert diff <= TOLERANCE, f"{name}: reloaded module differs by {diff}"

    print(f"== {name}: reload max |diff| = {diff:.3g}")
    for key, array in arrays.items():
        print(f"   npz {key}: {array.dtype} {list(array.shape)}")
    for param_name, param in loaded.named_parameters():
        print(f"   param {param_name}: {list(param.shape)}")
    for path in (pt_path, npz_path):
        print(f"   {path.name}: {path.stat().st_size} bytes")


# ---------------------------------------------------------------------------
# Rotary position embedding (RoPE), theta = 10000
#
# positions: float (T,), inv_freq[i] = theta ** (-2i/D) for i in 0..D/2-1,
# angles = positions[:, None] * inv_freq[None, :]  -> (T, D/2).
# x is (B, H, T, D); the angles broadcast over B and H.
# ---------------------------------------------------------------------------

def rope_angles(positions: Tensor, head_size: int, theta: float = 10000.0) -> Tensor:
    # (TorchScript cannot read a global float constant, hence the default argument.)
    exponents = -2.0 * torch.arange(head_size // 2, dtype=torch.float32) / head_size
    inv_freq = torch.pow(theta, exponents)
    return positions[:, None] * inv_freq[None, :]


def rotate_half(x: Tensor) -> Tensor:
    half = x.size(-1) // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def rope_half_split(x: Tensor, positions: Tensor) -> Tensor:
    """Llama / GPT-NeoX convention: dimension i is paired with i + D/2."""
    angles = rope_angles(positions, x.size(-1))
    cos = torch.cat([angles, angles], dim=-1).cos()
    sin = torch.cat([angles, angles], dim=-1).sin()
    return x * cos + rotate_half(x) * sin


def rope_adjacent_pairs(x: Tensor, positions: Tensor) -> Tensor:
    """GPT-J / RoFormer convention: dimension 2i is paired with 2i + 1."""
    angles = rope_angles(positions, x.size(-1))
    cos = angles.cos()
    sin = angles.sin()
    x0 = x[..., 0::2]
    x1 = x[..., 1::2]
    out0 = x0 * cos - x1 * sin
    out1 = x0 * sin + x1 * cos
    # Interleave back: (..., D/2, 2) -> (..., D)
    return torch.stack([out0, out1], dim=-1).flatten(-2)


def positions_from(offset: Tensor, num_tokens: int) -> Tensor:
    """positions = offset + arange(T), as float32. offset is a 0-d int64 tensor."""
    return (offset + torch.arange(num_tokens, dtype=torch.int64)).to(torch.float32)


class RopeHalfSplit(nn.Module):
    """forward(x: (B,H,T,D), offset: 0-d int64) -> (B,H,T,D). No parameters."""

    def forward(self, x: Tensor, offset: Tensor) -> Tensor:
        return rope_half_split(x, positions_from(offset, x.size(-2)))


class RopeAdjacentPairs(nn.Module):
    """forward(x: (B,H,T,D), offset: 0-d int64) -> (B,H,T,D). No parameters."""

    def forward(self, x: Tensor, offset: Tensor) -> Tensor:
        return rope_adjacent_pairs(x, positions_from(offset, x.size(-2)))


# ---------------------------------------------------------------------------
# Modules written in plain torch ops
# ---------------------------------------------------------------------------

class RMSNorm(nn.Module):
    """Llama RMSNorm: x * rsqrt(mean(x^2) + eps) * weight. Parameter: weight (C,)."""

    def __init__(self, width: int, eps: float = 1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))
        self.eps = eps

    def forward(self, x: Tensor) -> Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class SwiGLUFeedForward(nn.Module):
    """Llama MLP: down_proj(silu(gate_proj(x)) * up_proj(x)), no biases."""

    def __init__(self, width: int, hidden: int):
        super().__init__()
        self.gate_proj = nn.Linear(width, hidden, bias=False)
        self.up_proj = nn.Linear(width, hidden, bias=False)
        self.down_proj = nn.Linear(hidden, width, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class GroupedQueryAttention(nn.Module):
    """Llama-style causal grouped-query self-attention with half_split RoPE.

    forward(x: (B,T,C)) -> (B,T,C). Query head h uses kv head
    h // (num_heads // num_kv_heads) (repeat_interleave on the head axis).
    Causal: key index > query index is masked with -inf before softmax.
    RoPE (half_split, offset 0) is applied to q and k, not v.
    """

    def __init__(self, width: int, num_heads: int, num_kv_heads: int):
        super().__init__()
        self.num_heads = num_heads
        self.num_kv_heads = num_kv_heads
        self.head_size = width // num_heads
        self.q_proj = nn.Linear(width, num_heads * self.head_size, bias=False)
        self.k_proj = nn.Linear(width, num_kv_heads * self.head_size, bias=False)
        self.v_proj = nn.Linear(width, num_kv_heads * self.head_size, bias=False)
        self.o_proj = nn.Linear(num_heads * self.head_size, width, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        batch, tokens, width = x.size(0), x.size(1), x.size(2)
        d = self.head_size
        # (B,T,H*D) -> (B,T,H,D) -> (B,H,T,D)
        q = self.q_proj(x).view(batch, tokens, self.num_heads, d).transpose(1, 2)
        k = self.k_proj(x).view(batch, tokens, self.num_kv_heads, d).transpose(1, 2)
        v = self.v_proj(x).view(batch, tokens, self.num_kv_heads, d).transpose(1, 2)

        positions = torch.arange(tokens, dtype=torch.float32)  # offset 0
        q = rope_half_split(q, positions)
        k = rope_half_split(k, positions)

        group = self.num_heads // self.num_kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)

        scores = q @ k.transpose(-2, -1) / math.sqrt(d)
        causal = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(causal, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        context = (weights @ v).transpose(1, 2).reshape(batch, tokens, width)
        return self.o_proj(context)


# ---------------------------------------------------------------------------
# Wrappers around torch.nn.MultiheadAttention
#
# padding is (B,T) float32, 1.0 = real token, 0.0 = pad (HF attention_mask).
# Inside, key_padding_mask = (padding == 0): True = key is ignored.
# Causal attn_mask is bool, True above the diagonal = not allowed.
# ---------------------------------------------------------------------------

class CausalPaddedSelfAttention(nn.Module):
    def __init__(self, width: int, num_heads: int):
        super().__init__()
        self.mha = nn.MultiheadAttention(width, num_heads, bias=True, batch_first=True)

    def forward(self, x: Tensor, padding: Tensor) -> Tensor:
        tokens = x.size(1)
        key_padding_mask = padding == 0
        attn_mask = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)
        return self.mha(x, x, x, key_padding_mask=key_padding_mask,
                        attn_mask=attn_mask, need_weights=False)[0]


class PaddedSelfAttention(nn.Module):
    def __init__(self, width: int, num_heads: int):
        super().__init__()
        self.mha = nn.MultiheadAttention(width, num_heads, bias=True, batch_first=True)

    def forward(self, x: Tensor, padding: Tensor) -> Tensor:
        key_padding_mask = padding == 0
        return self.mha(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)[0]


def randomize_mha_biases(mha: nn.MultiheadAttention) -> None:
    """Defaults are zero; make them normal(std 0.1)."""
    with torch.no_grad():
        mha.in_proj_bias.normal_(0.0, 0.1)
        mha.out_proj.bias.normal_(0.0, 0.1)


# Row 0 all real tokens, row 1 right-padded: [1,1,1,1,0,0].
PADDING_2x6 = torch.tensor([[1, 1, 1, 1, 1, 1],
                            [1, 1, 1, 1, 0, 0]], dtype=torch.float32)


# ---------------------------------------------------------------------------
# One function per golden
# ---------------------------------------------------------------------------

def golden_layer_norm():
    torch.manual_seed(1)
    module = nn.LayerNorm(16, eps=1e-5)
    randomize_norm(module)
    freeze(module)
    x = torch.randn(2, 5, 16)
    with torch.no_grad():
        out = module(x)
    save_golden("layer_norm", module, {"x": x}, {"out": out})


def golden_rms_norm():
    torch.manual_seed(2)
    module = RMSNorm(16, eps=1e-6)
    with torch.no_grad():
        module.weight.copy_(1.0 + 0.1 * torch.randn(16))
    freeze(module)
    x = torch.randn(2, 5, 16)
    with torch.no_grad():
        out = module(x)
    save_golden("rms_norm", module, {"x": x}, {"out": out})


def golden_rope(name: str, module: nn.Module, seed: int):
    torch.manual_seed(seed)
    freeze(module)
    x = torch.randn(2, 3, 6, 8)  # (B, H, T, D)
    offset = torch.tensor(3, dtype=torch.int64)  # 0-d
    with torch.no_grad():
        out = module(x, offset)
        out_offset0 = module(x, torch.tensor(0, dtype=torch.int64))
    save_golden(name, module, {"x": x, "offset": offset},
                {"out": out, "out_offset0": out_offset0})


def golden_swiglu_ffn():
    torch.manual_seed(5)
    module = SwiGLUFeedForward(16, 40)
    for linear in (module.gate_proj, module.up_proj, module.down_proj):
        nn.init.normal_(linear.weight, std=0.25)
    freeze(module)
    x = torch.randn(2, 5, 16)
    with torch.no_grad():
        out = module(x)
    save_golden("swiglu_ffn", module, {"x": x}, {"out": out})


def golden_gqa_attention():
    torch.manual_seed(6)
    module = GroupedQueryAttention(width=32, num_heads=4, num_kv_heads=2)
    for linear in (module.q_proj, module.k_proj, module.v_proj, module.o_proj):
        nn.init.normal_(linear.weight, std=0.2)
    freeze(module)
    x = torch.randn(2, 6, 32)
    with torch.no_grad():
        out = module(x)
    save_golden("gqa_attention", module, {"x": x}, {"out": out})


def golden_multihead_attention(name: str, module: nn.Module, seed: int):
    torch.manual_seed(seed)
    randomize_mha_biases(module.mha)
    freeze(module)
    x = torch.randn(2, 6, 16)
    padding = PADDING_2x6.clone()
    with torch.no_grad():
        out = module(x, padding)
    save_golden(name, module, {"x": x, "padding": padding}, {"out": out})


def golden_encoder_layer(name: str, norm_first: bool, seed: int):
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.0,
                                       activation="gelu", batch_first=True,
                                       norm_first=norm_first)
    # Move every bias and norm weight away from its default (std 0.1).
    with torch.no_grad():
        layer.self_attn.in_proj_bias.normal_(0.0, 0.1)
        layer.self_attn.out_proj.bias.add_(0.1 * torch.randn(16))
        layer.linear1.bias.add_(0.1 * torch.randn(32))
        layer.linear2.bias.add_(0.1 * torch.randn(16))
    randomize_norm(layer.norm1)
    randomize_norm(layer.norm2)
    freeze(layer)
    x = torch.randn(2, 5, 16)
    with torch.no_grad():
        out = layer(x)
    save_golden(name, layer, {"x": x}, {"out": out})


def main():
    golden_layer_norm()
    golden_rms_norm()
    golden_rope("rope_half_split", RopeHalfSplit(), seed=3)
    golden_rope("rope_adjacent_pairs", RopeAdjacentPairs(), seed=4)
    golden_swiglu_ffn()
    golden_gqa_attention()
    golden_multihead_attention("multihead_attention", CausalPaddedSelfAttention(16, 4), seed=7)
    golden_multihead_attention("multihead_attention_padding_only",
                               PaddedSelfAttention(16, 4), seed=17)
    golden_encoder_layer("encoder_layer_prenorm", norm_first=True, seed=8)
    golden_encoder_layer("encoder_layer_postnorm", norm_first=False, seed=9)

    total = sum(p.stat().st_size for p in OUT_DIR.iterdir() if p.suffix in (".pt", ".npz"))
    print(f"total size of .pt + .npz: {total} bytes")


if __name__ == "__main__":
    main()
