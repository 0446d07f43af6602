package org.fastcrypt4j.ring;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed-point encoding of reals in Z_2^64 with {@code f} fractional bits: {@code enc(v) = round(v * 2^f)}
 * (round to nearest, ties to even, {@link Math#rint}) and
 * {@code dec(x) = s(x) / 2^f}, where {@code s(x)} is the signed (two's complement) value of {@code x}.
 *
 * <p>Range. {@link #encode(double)} accepts {@code |v| < 2^(63 - f)} (for f = 20: |v| < 2^43 ~ 8.8e12) and
 * rejects anything else, NaN and infinities with an {@link IllegalArgumentException} that names the value
 * (and its flat index for tensors). The encoding error is at most {@code 2^-(f+1)} (half an ulp) for
 * {@code |v| <= 2^(52 - f)}, where every {@code v * 2^f} is exactly representable; above that the
 * double itself is the limit.
 *
 * <p>Products. The product of two encodings carries {@code 2f} fractional bits and is exact mod 2^64 only
 * while {@code |a * b| < 2^(63 - 2f)} (f = 20: 2^23); the protocols' truncations assume the tighter
 * {@code |a * b| < 2^(62 - 2f)} (f = 20: 2^22, see PROTOCOLS.md section 0). The caller truncates by f.
 *
 * <p>Immutable and thread-safe. The number of fractional bits is a setting: construct with
 * {@link #withFractionalBits(int)} or use {@link #defaults()}; no other code should hard-code it.
 */
public final class FixedPoint {

    /** The default number of fractional bits (CryptGPU's choice; see DESIGN.md). */
    public static final int DEFAULT_FRACTIONAL_BITS = 20;

    private static final FixedPoint DEFAULT = new FixedPoint(DEFAULT_FRACTIONAL_BITS);

    private final int fractionalBits;
    private final double scale;
    private final double inverseScale;
    private final double limit;

    private FixedPoint(int fractionalBits) {
        if (fractionalBits < 0 || fractionalBits > 62) {
            throw new IllegalArgumentException("fractional bits must be in [0, 62], got " + fractionalBits);
        }
        this.fractionalBits = fractionalBits;
        this.scale = Math.scalb(1.0, fractionalBits);
        this.inverseScale = Math.scalb(1.0, -fractionalBits);
        this.limit = Math.scalb(1.0, 63 - fractionalBits);
    }

    /** The encoding with {@link #DEFAULT_FRACTIONAL_BITS} fractional bits. */
    public static FixedPoint defaults() {
        return DEFAULT;
    }

    /** An encoding with {@code f} fractional bits, {@code 0 <= f <= 62}. */
    public static FixedPoint withFractionalBits(int f) {
        return f == DEFAULT_FRACTIONAL_BITS ? DEFAULT : new FixedPoint(f);
    }

    /** The number of fractional bits {@code f}. */
    public int fractionalBits() {
        return fractionalBits;
    }

    /** {@code 2^f} as a ring element (the encoding of 1). */
    public long one() {
        return 1L << fractionalBits;
    }

    /** Exclusive bound on {@code |v|} accepted by {@link #encode(double)}: {@code 2^(63 - f)}. */
    public double maxMagnitude() {
        return limit;
    }

    /** {@code round(v * 2^f)} as a ring element. */
    public long encode(double v) {
        return encodeChecked(v, -1);
    }

    private long encodeChecked(double v, long index) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("cannot encode a NaN or infinite value" + where(index) + " as fixed point");
        }
        double scaled = Math.rint(v * scale);
        if (!(Math.abs(scaled) < 0x1p63)) {
            // the value itself is not named: it may be a secret input
            throw new IllegalArgumentException("a value" + where(index) + " is outside the fixed-point range |v| < 2^"
                    + (63 - fractionalBits) + " (f = " + fractionalBits + ")");
        }
        return (long) scaled;
    }

    private static String where(long index) {
        return index < 0 ? "" : " at flat index " + index;
    }

    /** {@code s(x) / 2^f}; exact when {@code |s(x)| <= 2^53}. */
    public double decode(long x) {
        return x * inverseScale;
    }

    /** Decodes a value that carries {@code 2f} fractional bits (an untruncated product). */
    public double decodeProduct(long x) {
        return x * inverseScale * inverseScale;
    }

    /** Encodes every element of {@code values} (c-order) into a new array. */
    public long[] encode(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = encodeChecked(values[i], i);
        }
        return out;
    }

    /** Decodes every element of {@code values} into a new array. */
    public double[] decode(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * inverseScale;
        }
        return out;
    }

    /**
     * Encodes a floating-point array (any layout: views and f-order are read in c-order) into a ring tensor
     * of the same shape.
     *
     * @throws IllegalArgumentException for a non-floating-point array or an element out of range
     */
    public RingTensor encode(INDArray values) {
        Objects.requireNonNull(values, "values");
        if (!values.dataType().isFPType()) {
            throw new IllegalArgumentException("fixed-point encoding needs a floating-point array, got "
                    + values.dataType() + " with shape " + Arrays.toString(values.shape()));
        }
        double[] flat = values.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        return RingTensor.of(encode(flat), values.shape());
    }

    /** Decodes a ring tensor into a new array of {@code type} (DOUBLE, FLOAT, HALF, ...), same shape. */
    public INDArray decode(RingTensor t, DataType type) {
        if (!type.isFPType()) {
            throw new IllegalArgumentException("fixed-point decoding produces a floating-point array, asked for " + type);
        }
        INDArray d = Nd4j.createFromArray(decode(t.toLongArray())).reshape('c', t.shape());
        return type == DataType.DOUBLE ? d : d.castTo(type);
    }

    /** Decodes into a DOUBLE array. */
    public INDArray decode(RingTensor t) {
        return decode(t, DataType.DOUBLE);
    }

    /** Decodes a tensor whose values carry {@code 2f} fractional bits (untruncated products) into a DOUBLE array. */
    public INDArray decodeProduct(RingTensor t) {
        long[] v = t.toLongArray();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = decodeProduct(v[i]);
        }
        return Nd4j.createFromArray(out).reshape('c', t.shape());
    }

    @Override
    public String toString() {
        return "FixedPoint[f=" + fractionalBits + "]";
    }
}
