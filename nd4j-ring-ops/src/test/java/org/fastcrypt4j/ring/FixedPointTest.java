package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** FixedPoint against a BigDecimal oracle (round half even of v * 2^f); tolerance stated per assertion. */
class FixedPointTest {

    private static long oracle(double v, int f) {
        return new BigDecimal(v).multiply(BigDecimal.valueOf(2).pow(f)).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    @Test
    void encodeRoundsToNearestOverTheWholeRange() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int f : new int[] {FixedPoint.DEFAULT_FRACTIONAL_BITS, 0, 16, 24, 40}) {
            FixedPoint fp = FixedPoint.withFractionalBits(f);
            for (int i = 0; i < 20_000; i++) {
                double magnitude = Math.scalb(rnd.nextDouble(), rnd.nextInt(-f - 4, 63 - f));
                double v = rnd.nextBoolean() ? magnitude : -magnitude;
                long enc = fp.encode(v);
                assertEquals(oracle(v, f), enc, "seed=" + seed + " f=" + f + " v=" + v);
                if (Math.abs(v) < 0x1p30) {
                    assertEquals(v, fp.decode(enc), Math.scalb(1.0, -f - 1), "round trip within half an ulp, seed=" + seed);
                }
            }
            assertEquals(oracle(0.5 * Math.scalb(1.0, -f), f), fp.encode(0.5 * Math.scalb(1.0, -f)), "tie to even");
            assertEquals(-fp.one(), fp.encode(-1.0));
        }
    }

    @Test
    void rangeLimitsAndBadInputsAreRejectedNamingTheIndexNeverTheValue() {
        FixedPoint fp = FixedPoint.defaults();
        assertEquals(FixedPoint.DEFAULT_FRACTIONAL_BITS, fp.fractionalBits());
        double justInside = Math.nextDown(fp.maxMagnitude());
        assertEquals(oracle(justInside, fp.fractionalBits()), fp.encode(justInside));
        assertEquals(oracle(-justInside, fp.fractionalBits()), fp.encode(-justInside));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fp.encode(fp.maxMagnitude()));
        assertTrue(e.getMessage().contains("|v| < 2^43") && !e.getMessage().contains("8.796093022208E12"),
                "names the range, not the (possibly secret) value: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fp.encode(-fp.maxMagnitude()));
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Double.NEGATIVE_INFINITY));
        IllegalArgumentException inArray = assertThrows(IllegalArgumentException.class,
                () -> fp.encode(new double[] {1, 2, Double.POSITIVE_INFINITY}));
        assertTrue(inArray.getMessage().contains("infinite") && inArray.getMessage().contains("index 2")
                && !inArray.getMessage().contains("Infinity"), inArray.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> fp.encode(new double[] {1, -123456789.0e9}));
        assertTrue(big.getMessage().contains("index 1") && !big.getMessage().contains("1.23456789"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.withFractionalBits(63));
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Nd4j.createFromArray(new long[] {1})));
    }

    @Test
    void productsCarryTwoFAndDecodeWithinTolerance() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        FixedPoint fp = FixedPoint.defaults();
        int f = fp.fractionalBits();
        for (int i = 0; i < 10_000; i++) {
            double a = (rnd.nextDouble() * 2 - 1) * 2048;
            double b = (rnd.nextDouble() * 2 - 1) * 2048;
            long p = fp.encode(a) * fp.encode(b);
            double tol = (Math.abs(a) + Math.abs(b) + 1) * Math.scalb(1.0, -f);
            assertEquals(a * b, fp.decodeProduct(p), tol, "seed=" + seed + " a=" + a + " b=" + b);
        }
    }

    @Test
    void encodesAndDecodesWholeArraysIncludingViewsAndFloat() {
        long seed = RingTestData.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        FixedPoint fp = FixedPoint.withFractionalBits(FixedPoint.DEFAULT_FRACTIONAL_BITS);
        double[] v = new double[6 * 11];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * 1e6;
        }
        INDArray base = Nd4j.createFromArray(v).reshape('c', 6, 11);
        INDArray view = base.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 9)).dup('f');
        RingTensor enc = fp.encode(view);
        assertArrayEquals(enc.toLongArray(),
                fp.encode(base.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 9))).toLongArray(),
                "an offset view encodes like its compact copy, seed=" + seed);
        assertArrayEquals(new long[] {3, 7}, enc.shape());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 7; c++) {
                double x = v[(r + 1) * 11 + c + 2];
                assertEquals(oracle(x, fp.fractionalBits()), enc.getLong(r * 7 + c), "seed=" + seed);
            }
        }
        INDArray back = fp.decode(enc, DataType.FLOAT);
        assertEquals(DataType.FLOAT, back.dataType());
        INDArray expected = base.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 9)).castTo(DataType.FLOAT);
        assertTrue(expected.equalsWithEps(back, 0.07), "seed=" + seed);
        RingTensor fromFloat = fp.encode(Nd4j.createFromArray(new float[] {1.5f, -0.25f, 3e5f}));
        assertArrayEquals(new long[] {3L << 19, -(1L << 18), 300_000L << 20}, fromFloat.toLongArray());
    }
}
