package dev.dojo.assertions;

import ai.djl.ndarray.NDArray;
import dev.dojo.compare.Comparison;
import dev.dojo.compare.ComparisonReport;
import dev.dojo.compare.Tolerance;
import org.assertj.core.api.AbstractAssert;

import java.util.Arrays;
import java.util.List;

/**
 * AssertJ assertions on DJL NDArrays. Shape and dtype are checked first, NaN and Inf are never
 * close, and a failure says how much, where and along which axes the values diverge.
 */
public final class NDArrayAssert extends AbstractAssert<NDArrayAssert, NDArray> {
    private String subject = "actual";
    private String reference = "expected";
    private List<String> axes = List.of();
    private Long seed;

    NDArrayAssert(NDArray actual) {
        super(actual, NDArrayAssert.class);
    }

    /** Names the tensor under test in failure messages, e.g. "Block output". */
    public NDArrayAssert named(String subject) {
        this.subject = subject;
        return this;
    }

    /** Names what it is compared with, e.g. "the PyTorch reference". */
    public NDArrayAssert against(String reference) {
        this.reference = reference;
        return this;
    }

    /** Names the axes, e.g. "batch", "pos", "dim": the report localizes the divergence along all but the last. */
    public NDArrayAssert withAxes(String... axes) {
        this.axes = Arrays.asList(axes);
        return this;
    }

    /** The seed that made the inputs, printed with a failure so it can be rerun. */
    public NDArrayAssert withSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Passes when shape and dtype agree and every value is finite and within {@code tolerance}. */
    public NDArrayAssert isCloseTo(NDArray expected, Tolerance tolerance) {
        isNotNull();
        Comparison comparison = Comparison.of(actual, expected, tolerance);
        if (!comparison.passes()) {
            failWithMessage("%s", ComparisonReport.render(comparison, subject, reference, axes, seed));
        }
        return this;
    }

    /** Passes when every value is finite; else names the first NaN or Inf. */
    public NDArrayAssert isFinite() {
        isNotNull();
        Comparison self = Comparison.of(actual, actual.zerosLike(), Tolerance.absolute(Double.MAX_VALUE));
        if (self.actualNonFinite().any()) {
            failWithMessage("%s", ComparisonReport.render(self, subject, reference, axes, seed));
        }
        return this;
    }
}
