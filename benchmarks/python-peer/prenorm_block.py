"""The prenorm-block kata written in PyTorch: the peer that `./kata test` is timed against.

Same component, same bug, same tests as katas/prenorm-block, so the two cold runs do the same
work. A benchmark fixture only: the build never runs it.
"""
import torch
from torch import nn


class PreNormBlock(nn.Module):
    """A pre-norm transformer block. B batch, T tokens, C model width."""

    def __init__(self, attention_norm, attention, feed_forward_norm, feed_forward):
        super().__init__()
        self.attention_norm = attention_norm
        self.attention = attention
        self.feed_forward_norm = feed_forward_norm
        self.feed_forward = feed_forward

    def forward(self, x):                                           # x: (B, T, C)
        x = self.attention_norm(x)                                  # (B, T, C)
        x = x + self.attention(x, x, x, need_weights=False)[0]      # (B, T, C)
        h = self.feed_forward_norm(x)                               # (B, T, C)
        return x + self.feed_forward(h)                             # (B, T, C)


def from_encoder_layer(layer):
    """The block with the parameters of a torch.nn.TransformerEncoderLayer(norm_first=True)."""
    feed_forward = nn.Sequential(layer.linear1, nn.GELU(), layer.linear2)
    return PreNormBlock(layer.norm1, layer.self_attn, layer.norm2, feed_forward)
