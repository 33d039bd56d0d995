"""The prenorm-block kata's five tests, in pytest, against the same golden model."""
import pathlib

import numpy as np
import torch
from torch import nn

from prenorm_block import PreNormBlock, from_encoder_layer

GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "golden"
SEED = 7


def golden_layer():
    """A TransformerEncoderLayer(norm_first=True) carrying the golden module's parameters."""
    scripted = torch.jit.load(str(GOLDEN / "encoder_layer_prenorm.pt"))
    layer = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
    layer.load_state_dict(dict(scripted.named_parameters()))
    return scripted, layer.eval()


def test_matches_pytorch_encoder_layer():
    scripted, layer = golden_layer()
    x = torch.randn(2, 8, 16, generator=torch.Generator().manual_seed(SEED))
    with torch.no_grad():
        torch.testing.assert_close(from_encoder_layer(layer)(x), scripted(x), atol=1e-5, rtol=1e-4)


def test_matches_pytorch_stored_example():
    _, layer = golden_layer()
    example = np.load(GOLDEN / "encoder_layer_prenorm.npz")
    with torch.no_grad():
        out = from_encoder_layer(layer)(torch.from_numpy(example["x"]))
    torch.testing.assert_close(out, torch.from_numpy(example["out"]), atol=1e-5, rtol=1e-4)


def test_is_identity_with_zeroed_sublayers():
    torch.manual_seed(SEED)
    attention = nn.MultiheadAttention(16, 4, batch_first=True)
    nn.init.zeros_(attention.out_proj.weight)
    nn.init.zeros_(attention.out_proj.bias)
    down = nn.Linear(32, 16)
    nn.init.zeros_(down.weight)
    nn.init.zeros_(down.bias)
    block = PreNormBlock(nn.LayerNorm(16), attention, nn.LayerNorm(16), nn.Sequential(nn.Linear(16, 32), nn.GELU(), down))
    x = torch.randn(2, 6, 16)
    with torch.no_grad():
        torch.testing.assert_close(block(x), x, atol=1e-6, rtol=1e-5)


def test_keeps_samples_independent():
    _, layer = golden_layer()
    block = from_encoder_layer(layer)
    x = torch.randn(3, 6, 16, generator=torch.Generator().manual_seed(SEED))
    with torch.no_grad():
        alone = torch.cat([block(x[b:b + 1]) for b in range(3)])
        torch.testing.assert_close(block(x), alone, atol=1e-6, rtol=1e-5)


def test_keeps_shape():
    _, layer = golden_layer()
    x = torch.randn(2, 3, 16)
    with torch.no_grad():
        out = from_encoder_layer(layer)(x)
    assert out.shape == x.shape and out.dtype == x.dtype
