package dev.dojo.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Every fact about how an actual tensor differs from an expected one, in the order a reader
 * needs them: shape, dtype, non-finite values, then the values themselves.
 */
public record Comparison(
        Shape actualShape, Shape expectedShape,
        DataType actualType, DataType expectedType,
        Tolerance tolerance,
        float[] actual, float[] expected,
        long mismatched, int worst, double worstRatio,
        NonFinite actualNonFinite, NonFinite expectedNonFinite) {

    /** Where a tensor holds NaN or Inf: counts and the flat index of the first. */
    public record NonFinite(long nans, long infinities, int first) {
        public boolean any() {
            return nans + infinities > 0;
        }
    }

    /** Compares {@code actual} with {@code expected} element by element under {@code tolerance}. */
    public static Comparison of(NDArray actual, NDArray expected, Tolerance tolerance) {
        Shape actualShape = actual.getShape();
        Shape expectedShape = expected.getShape();
        DataType actualType = actual.getDataType();
        DataType expectedType = expected.getDataType();
        if (!actualShape.equals(expectedShape) || actualType != expectedType) {
            return new Comparison(actualShape, expectedShape, actualType, expectedType, tolerance,
                    new float[0], new float[0], 0, -1, Double.POSITIVE_INFINITY, null, null);
        }
        float[] a = floats(actual);
        float[] e = floats(expected);
        long mismatched = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < a.length; i++) {
            double ratio = tolerance.ratio(a[i], e[i]);
            if (ratio > 1) {
                mismatched++;
            }
            if (worst < 0 || ratio > worstRatio) {
                worst = i;
                worstRatio = ratio;
            }
        }
        return new Comparison(actualShape, expectedShape, actualType, expectedType, tolerance, a, e,
                mismatched, worst, worstRatio, nonFinite(a), nonFinite(e));
    }

    private static float[] floats(NDArray array) {
        return array.getDataType() == DataType.FLOAT32 ? array.toFloatArray()
                : array.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static NonFinite nonFinite(float[] values) {
        long nans = 0;
        long infinities = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            boolean nan = Float.isNaN(values[i]);
            boolean inf = Float.isInfinite(values[i]);
            if (nan || inf) {
                nans += nan ? 1 : 0;
                infinities += inf ? 1 : 0;
                first = first < 0 ? i : first;
            }
        }
        return new NonFinite(nans, infinities, first);
    }

    public boolean sameShape() {
        return actualShape.equals(expectedShape);
    }

    public boolean sameType() {
        return actualType == expectedType;
    }

    /** True when shapes and dtypes agree, every value is finite and every value is within tolerance. */
    public boolean passes() {
        return sameShape() && sameType() && !actualNonFinite.any() && !expectedNonFinite.any() && mismatched == 0;
    }

    public long size() {
        return actual.length;
    }

    /** |Δ| at the worst element. */
    /**
     * The element that needs the most absolute tolerance, max |Δ| - rel · |expected|: the one that
     * sets {@link #passingAbsolute()}, a mismatch whenever there is one. (The largest ratio favours
     * tiny expected values under a relative tolerance.) 0 when empty.
     */
    public int neediest() {
        int neediest = 0;
        double most = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < actual.length; i++) {
            double need = Math.abs((double) actual[i] - expected[i]) - tolerance.relative() * Math.abs(expected[i]);
            if (need > most) {
                neediest = i;
                most = need;
            }
        }
        return neediest;
    }

    /**
     * The smallest absolute tolerance that would pass, keeping the relative one:
     * max over elements of |Δ| - rel · |expected|, nudged up where rounding would leave it short.
     */
    public double passingAbsolute() {
        double needed = 0;
        for (int i = 0; i < actual.length; i++) {
            double difference = Math.abs((double) actual[i] - expected[i]);
            double byRelative = tolerance.relative() * Math.abs(expected[i]);
            double slack = difference - byRelative;
            while (slack + byRelative < difference) {                  // (a - b) + b can round below a
                slack = Math.nextUp(slack);
            }
            needed = Math.max(needed, slack);
        }
        return needed;
    }

    /** The multi-index of a flat index, in this comparison's shape. */
    public long[] index(int flat) {
        long[] index = new long[actualShape.dimension()];
        long rest = flat;
        for (int axis = index.length - 1; axis >= 0; axis--) {
            index[axis] = rest % actualShape.get(axis);
            rest /= actualShape.get(axis);
        }
        return index;
    }

    /** Per index along {@code axis}: the largest |Δ| and the number of mismatched elements. */
    public AxisProfile profile(int axis) {
        int length = Math.toIntExact(actualShape.get(axis));
        double[] worstByIndex = new double[length];
        long[] mismatchedByIndex = new long[length];
        long elementsPerIndex = actual.length / Math.max(1, length);
        for (int i = 0; i < actual.length; i++) {
            int at = Math.toIntExact(index(i)[axis]);
            double difference = Math.abs(actual[i] - expected[i]);
            worstByIndex[at] = Math.max(worstByIndex[at], difference);
            if (tolerance.ratio(actual[i], expected[i]) > 1) {
                mismatchedByIndex[at]++;
            }
        }
        return new AxisProfile(worstByIndex, mismatchedByIndex, elementsPerIndex);
    }

    /** The largest |Δ| and the mismatch count at each index of one axis, of {@code perIndex} elements each. */
    public record AxisProfile(double[] worst, long[] mismatched, long perIndex) {
        public List<Integer> diverging() {
            java.util.ArrayList<Integer> at = new java.util.ArrayList<>();
            for (int i = 0; i < mismatched.length; i++) {
                if (mismatched[i] > 0) {
                    at.add(i);
                }
            }
            return at;
        }
    }
}
