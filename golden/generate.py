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

Goldens: the ones main() lists, from layer_norm to the decoder layers and
the sliding-window attention. See README.md in this folder for shapes,
parameter names and conventions. `generate.py NAME ...` writes only the
goldens named: a full re-run from another folder rewrites the .pt bytes of
the others (README.md says why) though their modules and values are the same.

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


# ---------------------------------------------------------------------------
# Decoder layers with cross-attention: torch.nn.TransformerDecoderLayer
#
# Paddings are (B,T) and (B,S) float32, 1.0 = real token, 0.0 = pad.
# ---------------------------------------------------------------------------

class MaskedDecoderLayer(nn.Module):
    """torch.nn.TransformerDecoderLayer as submodule `layer`, its masks built from 0/1 paddings.

    forward(tgt (B,T,C), memory (B,S,C), tgt_padding (B,T), memory_padding (B,S)) -> (B,T,C).
    Self-attention: causal tgt_mask (bool, True above the diagonal = not allowed) and
    tgt_key_padding_mask = tgt_padding == 0. Cross-attention: memory_key_padding_mask =
    memory_padding == 0, no memory_mask.
    """

    def __init__(self, norm_first: bool):
        super().__init__()
        self.layer = nn.TransformerDecoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.0,
                                                activation="gelu", batch_first=True,
                                                norm_first=norm_first)

    def forward(self, tgt: Tensor, memory: Tensor, tgt_padding: Tensor, memory_padding: Tensor) -> Tensor:
        tokens = tgt.size(1)
        causal = torch.triu(torch.ones(tokens, tokens, dtype=torch.bool), diagonal=1)
        return self.layer(tgt, memory, tgt_mask=causal, tgt_key_padding_mask=tgt_padding == 0,
                          memory_key_padding_mask=memory_padding == 0)


# Target: row 0 all real, row 1 right-padded. Memory: both rows right-padded, to other lengths.
TGT_PADDING_2x5 = torch.tensor([[1, 1, 1, 1, 1],
                                [1, 1, 1, 0, 0]], dtype=torch.float32)
MEMORY_PADDING_2x7 = torch.tensor([[1, 1, 1, 1, 1, 1, 0],
                                   [1, 1, 1, 1, 0, 0, 0]], dtype=torch.float32)


def golden_decoder_layer(name: str, norm_first: bool, seed: int):
    torch.manual_seed(seed)
    module = MaskedDecoderLayer(norm_first)
    layer = module.layer
    # Move every bias and norm weight away from its default (std 0.1).
    with torch.no_grad():
        for attention in (layer.self_attn, layer.multihead_attn):
            attention.in_proj_bias.normal_(0.0, 0.1)
            attention.out_proj.bias.add_(0.1 * torch.randn(16))
        layer.linear1.bias.add_(0.1 * torch.randn(32))
        layer.linear2.bias.add_(0.1 * torch.randn(16))
    for norm in (layer.norm1, layer.norm2, layer.norm3):
        randomize_norm(norm)
    freeze(module)
    tgt = torch.randn(2, 5, 16)
    memory = torch.randn(2, 7, 16)
    tgt_padding = TGT_PADDING_2x5.clone()
    memory_padding = MEMORY_PADDING_2x7.clone()
    with torch.no_grad():
        out = module(tgt, memory, tgt_padding, memory_padding)
        # The memory's pads are invisible: redrawing them leaves every output unchanged.
        repadded = memory + 3.0 * torch.randn(2, 7, 16) * (1.0 - memory_padding)[:, :, None]
        assert torch.allclose(module(tgt, repadded, tgt_padding, memory_padding), out, atol=1e-6)
    save_golden(name, module, {"tgt": tgt, "memory": memory, "tgt_padding": tgt_padding,
                               "memory_padding": memory_padding}, {"out": out})


# ---------------------------------------------------------------------------
# Sliding-window attention (Mistral): query i sees keys max(0, i-W+1)..i, exactly W keys
# once i >= W-1. Written in plain torch ops: torch.nn has no sliding window.
# ---------------------------------------------------------------------------

def sliding_window_allowed(queries: Tensor, keys: Tensor, window: Tensor) -> Tensor:
    """(Tq, Tk) bool from query and key positions: True where 0 <= query - key < window."""
    distance = queries[:, None] - keys[None, :]
    return (distance >= 0) & (distance < window)


def attend(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor) -> Tensor:
    """softmax(q k^T / sqrt(D), masked with -inf where not allowed) v: (B,H,Tq,D)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


class SlidingWindowAttention(GroupedQueryAttention):
    """GroupedQueryAttention (half_split RoPE, GQA) with a sliding-window causal mask.

    forward(x: (B,T,C), window: 0-d int64) -> (B,T,C). Key j is visible to query i when
    0 <= i - j < window; the rest of the computation is GroupedQueryAttention's.
    """

    def forward(self, x: Tensor, window: Tensor) -> Tensor:
        batch, tokens, width = x.size(0), x.size(1), x.size(2)
        d = self.head_size
        q = self.q_proj(x).view(batch, tokens, self.num_heads, d).transpose(1, 2)
        k = self.k_proj(x).view(batch, tokens, self.num_kv_heads, d).transpose(1, 2)
        v = self.v_proj(x).view(batch, tokens, self.num_kv_heads, d).transpose(1, 2)

        positions = torch.arange(tokens, dtype=torch.float32)
        q = rope_half_split(q, positions)
        k = rope_half_split(k, positions)

        group = self.num_heads // self.num_kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)

        steps = torch.arange(tokens)
        context = attend(q, k, v, sliding_window_allowed(steps, steps, window))
        return self.o_proj(context.transpose(1, 2).reshape(batch, tokens, width))


def rolling_buffer_decode(module: SlidingWindowAttention, x: Tensor, window: int) -> Tensor:
    """Decodes x token by token through a rolling buffer of `window` slots, as Mistral does.

    Token t's key and value (after RoPE) are written at slot t % window; the new query reads
    the buffer in order (oldest first), which then holds exactly the keys its window sees.
    """
    batch, tokens, width = x.size(0), x.size(1), x.size(2)
    d = module.head_size
    group = module.num_heads // module.num_kv_heads
    cache_k = torch.zeros(batch, module.num_kv_heads, window, d)
    cache_v = torch.zeros(batch, module.num_kv_heads, window, d)
    outputs = []
    for t in range(tokens):
        token = x[:, t:t + 1]
        position = torch.tensor([float(t)])
        q = rope_half_split(module.q_proj(token).view(batch, 1, module.num_heads, d).transpose(1, 2), position)
        k = rope_half_split(module.k_proj(token).view(batch, 1, module.num_kv_heads, d).transpose(1, 2),
                            position)
        v = module.v_proj(token).view(batch, 1, module.num_kv_heads, d).transpose(1, 2)
        cache_k[:, :, t % window] = k[:, :, 0]
        cache_v[:, :, t % window] = v[:, :, 0]
        seen = min(t + 1, window)
        order = [(t - seen + 1 + i) % window for i in range(seen)]  # oldest first
        keys = cache_k[:, :, order].repeat_interleave(group, dim=1)
        values = cache_v[:, :, order].repeat_interleave(group, dim=1)
        context = torch.softmax(q @ keys.transpose(-2, -1) / math.sqrt(d), dim=-1) @ values
        outputs.append(module.o_proj(context.transpose(1, 2).reshape(batch, 1, width)))
    return torch.cat(outputs, dim=1)


def golden_sliding_window_attention():
    torch.manual_seed(18)
    module = SlidingWindowAttention(width=32, num_heads=4, num_kv_heads=2)
    for linear in (module.q_proj, module.k_proj, module.v_proj, module.o_proj):
        nn.init.normal_(linear.weight, std=0.2)
    freeze(module)
    x = torch.randn(2, 10, 32)
    window = torch.tensor(3, dtype=torch.int64)  # 0-d
    steps = torch.arange(10)
    with torch.no_grad():
        out = module(x, window)
        out_window1 = module(x, torch.tensor(1, dtype=torch.int64))
        out_window10 = module(x, torch.tensor(10, dtype=torch.int64))
        # A window as long as the sequence is plain causal attention.
        assert torch.allclose(out_window10, GroupedQueryAttention.forward(module, x), atol=1e-6)
        # Decoding through a rolling buffer of W slots gives the full pass's output, past the wrap.
        assert torch.allclose(rolling_buffer_decode(module, x, 3), out, atol=1e-6)
    allowed = sliding_window_allowed(steps, steps, window)
    assert allowed.sum(-1).tolist() == [1, 2] + [3] * 8
    save_golden("sliding_window_attention", module, {"x": x, "window": window},
                {"out": out, "out_window1": out_window1, "out_window10": out_window10,
                 "allowed": allowed})


GOLDENS = {
    "layer_norm": golden_layer_norm,
    "rms_norm": golden_rms_norm,
    "rope_half_split": lambda: golden_rope("rope_half_split", RopeHalfSplit(), seed=3),
    "rope_adjacent_pairs": lambda: golden_rope("rope_adjacent_pairs", RopeAdjacentPairs(), seed=4),
    "swiglu_ffn": golden_swiglu_ffn,
    "gqa_attention": golden_gqa_attention,
    "multihead_attention": lambda: golden_multihead_attention(
        "multihead_attention", CausalPaddedSelfAttention(16, 4), seed=7),
    "multihead_attention_padding_only": lambda: golden_multihead_attention(
        "multihead_attention_padding_only", PaddedSelfAttention(16, 4), seed=17),
    "encoder_layer_prenorm": lambda: golden_encoder_layer("encoder_layer_prenorm", norm_first=True, seed=8),
    "encoder_layer_postnorm": lambda: golden_encoder_layer("encoder_layer_postnorm", norm_first=False, seed=9),
    "decoder_layer_prenorm": lambda: golden_decoder_layer("decoder_layer_prenorm", norm_first=True, seed=19),
    "decoder_layer_postnorm": lambda: golden_decoder_layer("decoder_layer_postnorm", norm_first=False, seed=20),
    "sliding_window_attention": golden_sliding_window_attention,
}


def main(names):
    unknown = [name for name in names if name not in GOLDENS]
    if unknown:
        raise SystemExit(f"no golden {unknown}; there are {list(GOLDENS)}")
    for name in names or GOLDENS:
        GOLDENS[name]()

    total = sum(p.stat().st_size for p in OUT_DIR.iterdir() if p.suffix in (".pt", ".npz"))
    print(f"total size of .pt + .npz: {total} bytes")


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
