package dev.dojo.katas.prenorm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dojo.golden.GoldenModel;
import dev.dojo.junit.ScopedManager;
import dev.dojo.probes.BatchIndependence;
import dev.dojo.probes.ResidualIdentity;
import dev.dojo.reference.Attention;
import dev.dojo.reference.AttentionMask;
import dev.dojo.reference.GeluFeedForward;
import dev.dojo.reference.LayerNorm;
import dev.dojo.tensor.Seeded;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.dojo.assertions.DojoAssertions.assertThat;

@ExtendWith(ScopedManager.class)
class PreNormBlockTest {
    private static final long SEED = 7;
    private static final int WIDTH = 16;

    @Test
    @DisplayName("agrees with torch.nn.TransformerEncoderLayer(norm_first=True) on seeded inputs")
    void matchesPyTorchEncoderLayer(NDManager manager) {
        new PreNormBlockGolden().assertAgrees(manager, SEED);
    }

    @Test
    @DisplayName("agrees with the output PyTorch stored for its example input")
    void matchesPyTorchStoredExample(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PreNormBlockGolden.MODEL);
        PreNormBlock block = PreNormBlockGolden.block(golden.parameters(manager));

        NDArray out = block.forward(golden.example(manager, "x"), AttentionMask.none());

        assertThat(out).named("Block output").against("PyTorch's stored output").withAxes("batch", "pos", "dim")
                .isCloseTo(golden.example(manager, "out"), PreNormBlockGolden.TOLERANCE);
    }

    @Test
    @DisplayName("returns its input when every sublayer's output projection is zeroed")
    void isIdentityWithZeroedSublayers(NDManager manager) {
        Seeded seeded = Seeded.of(manager, SEED);
        PreNormBlock block = new PreNormBlock(LayerNorm.random(seeded, "norm1", WIDTH),
                Attention.random(seeded, "attention", WIDTH, 4, 4, null).withZeroedOutput(),
                LayerNorm.random(seeded, "norm2", WIDTH),
                GeluFeedForward.random(seeded, "feed_forward", WIDTH, 32).withZeroedOutput());

        assertThat(ResidualIdentity.preNorm(block, seeded, 2, 6, WIDTH)).holds();
    }

    @Test
    @DisplayName("computes each sample of a batch as if it were alone")
    void keepsSamplesIndependent(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PreNormBlockGolden.MODEL);
        PreNormBlock block = PreNormBlockGolden.block(golden.parameters(manager));
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 3, 6, WIDTH);

        assertThat(BatchIndependence.check(block::forward, x, null, false, SEED)).holds();
    }

    @Test
    @DisplayName("returns the residual stream's shape and dtype")
    void keepsShape(NDManager manager) {
        GoldenModel golden = GoldenModel.named(PreNormBlockGolden.MODEL);
        PreNormBlock block = PreNormBlockGolden.block(golden.parameters(manager));
        NDArray x = Seeded.of(manager, SEED).normal("x", 1, 2, 3, WIDTH);

        NDArray out = block.forward(x, AttentionMask.none());

        org.assertj.core.api.Assertions.assertThat(out.getShape()).isEqualTo(x.getShape());
        org.assertj.core.api.Assertions.assertThat(out.getDataType()).isEqualTo(x.getDataType());
    }
}
