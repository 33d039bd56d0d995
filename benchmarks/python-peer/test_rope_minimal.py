"""The minimal Python peer of a RoPE kata: three pytest tests of a rotary-embedding function, with the
same bug as katas/rotary-embedding (positions counted from offset + 1), against the same golden model.
`./kata test rotary-embedding` is timed against this file (benchmarks/cold-test.sh)."""
import pathlib

import numpy as np
import torch

GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "golden"


def rotary_embedding(x, offset, theta=10000.0):
    """Rotates x: (B, H, T, D) in the half-split layout, its first token after `offset` cached ones."""
    head_size, tokens = x.shape[-1], x.shape[-2]
    frequencies = theta ** (-torch.arange(0, head_size, 2, dtype=torch.float32) / head_size)  # (D/2)
    positions = torch.arange(offset + 1, offset + tokens + 1, dtype=torch.float32)          # (T)
    angles = positions[:, None] * frequencies[None, :]                                       # (T, D/2)
    cos, sin = torch.cat([angles, angles], -1).cos(), torch.cat([angles, angles], -1).sin()  # (T, D)
    first, second = x[..., : head_size // 2], x[..., head_size // 2:]
    return x * cos + torch.cat([-second, first], -1) * sin


def test_matches_pytorch_stored_example():
    example = np.load(GOLDEN / "rope_half_split.npz")
    x, offset = torch.from_numpy(example["x"]), int(example["offset"].reshape(-1)[0])
    torch.testing.assert_close(rotary_embedding(x, offset), torch.from_numpy(example["out"]), atol=1e-5, rtol=1e-4)


def test_leaves_position_zero_unchanged():
    x = torch.randn(2, 3, 1, 8, generator=torch.Generator().manual_seed(11))
    torch.testing.assert_close(rotary_embedding(x, 0), x, atol=1e-6, rtol=1e-5)


def test_keeps_each_pairs_length():
    x = torch.randn(2, 3, 6, 8, generator=torch.Generator().manual_seed(11))
    out = rotary_embedding(x, 4)
    lengths = lambda t: t[..., :4] ** 2 + t[..., 4:] ** 2
    torch.testing.assert_close(lengths(out), lengths(x), atol=1e-5, rtol=1e-4)
