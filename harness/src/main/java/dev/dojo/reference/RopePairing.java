package dev.dojo.reference;

/** Which coordinates of a head RoPE rotates together. Both are in use; checkpoints are not interchangeable. */
public enum RopePairing {
    /** Coordinate i pairs with i + D/2 ("rotate_half"): Llama, GPT-NeoX, Hugging Face. */
    HALF_SPLIT,
    /** Coordinate 2i pairs with 2i + 1: the RoFormer paper, GPT-J, Meta's original Llama code. */
    ADJACENT_PAIRS
}
