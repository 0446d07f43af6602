package org.fastcrypt4j.ring;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tensor of elements of the ring Z_2^64, stored in an ND4J {@code LONG} array in c-order.
 *
 * <p>All arithmetic wraps modulo 2^64 exactly like Java {@code long} arithmetic. The wrapped array is
 * always compact and c-ordered (views and f-order inputs are copied on {@link #wrap}), so kernels may
 * treat it as one flat run of {@link #length()} longs starting at element 0 of {@link #buffer()}.
 *
 * <p>Methods without a trailing {@code i} return a new tensor; the {@code ...i} variants overwrite
 * this tensor and return it (for hot paths).
 *
 * <p>Exactness of the ND4J calls used here (ND4J 1.0.0-M2.1, CPU backend): array-array add/sub/mul/neg
 * and the scalar {@code add(long)}, {@code mul(long)}, {@code assign(long)} run in 64-bit integer
 * arithmetic on LONG arrays, also for constants above 2^53 (no detour through double); this is pinned by
 * {@code RingTensorExactnessTest} against a BigInteger oracle. Shifts run in Java over the flat buffer.
 *
 * <p>Lifetime of the native memory: ND4J frees an array's memory on its deallocator thread once the garbage
 * collector finds the array unreachable, and the JIT may consider an object unreachable as soon as its last
 * field was read, even while a method of it still runs. A direct view of the memory ({@code asNio()}) does not
 * keep the array alive. So every copy through such a view here ends with {@link Reference#reachabilityFence}
 * on the array; without it {@code RingTensor.of(...).toLongArray()}, or a copy out of a tensor its caller no
 * longer refers to, could read memory freed and reused in the middle of the copy.
 */
public final class RingTensor {

    private final INDArray array;

    private RingTensor(INDArray array) {
        this.array = array;
    }

    /**
     * Wraps an ND4J {@code LONG} array. A view, an f-order array or an array with an offset is copied
     * into a fresh compact c-order array; a compact c-order array is wrapped without a copy.
     *
     * @throws IllegalArgumentException if the array is not of type LONG
     */
    public static RingTensor wrap(INDArray array) {
        Objects.requireNonNull(array, "array");
        if (array.dataType() != DataType.LONG) {
            throw new IllegalArgumentException("ring tensors hold LONG arrays, got " + array.dataType()
                    + " with shape " + Arrays.toString(array.shape()));
        }
        if (isCompactC(array)) {
            return new RingTensor(array);
        }
        return new RingTensor(array.dup('c'));
    }

    private static boolean isCompactC(INDArray a) {
        if (a.isView() || a.offset() != 0 || a.data().length() != a.length()) {
            return false;
        }
        return a.ordering() == 'c' || a.rank() <= 1 || a.isVector() && a.elementWiseStride() == 1;
    }

    /** A new tensor holding a copy of {@code data} with the given shape. */
    public static RingTensor of(long[] data, long... shape) {
        checkLength(data.length, shape);
        // Nd4j.createFromArray(long[]) stores element by element; a bulk copy into uninitialised memory is faster
        if (data.length == 0) {
            return new RingTensor(Nd4j.createFromArray(data).reshape('c', shape));
        }
        return new RingTensor(Nd4j.createUninitialized(DataType.LONG, shape)).copyFrom(data, 0);
    }

    /**
     * A new c-order tensor of {@code shape} holding {@code src[offset .. offset + length)}, copied once into ND4J
     * memory (no intermediate array). (Not an overload of {@link #of(long[], long...)}: with int literals that
     * call would silently pick this one.)
     */
    public static RingTensor copyOf(long[] src, int offset, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (offset < 0 || n < 0 || offset + n > src.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " from offset " + offset
                    + " does not fit an array of " + src.length);
        }
        if (n == 0) {
            return of(new long[0], shape);
        }
        return new RingTensor(Nd4j.createUninitialized(DataType.LONG, shape)).copyFrom(src, offset);
    }

    /** A new tensor of zeros. */
    public static RingTensor zeros(long... shape) {
        return new RingTensor(Nd4j.zeros(DataType.LONG, shape));
    }

    /** A new tensor whose every element is {@code value}. */
    public static RingTensor filled(long value, long... shape) {
        RingTensor t = zeros(shape);
        if (value != 0) {
            t.array.assign(value);
        }
        return t;
    }

    private static void checkLength(long length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements, data has " + length);
        }
    }

    /** The wrapped ND4J array (LONG, compact, c-order). Changing it changes this tensor. */
    public INDArray array() {
        return array;
    }

    public long[] shape() {
        return array.shape();
    }

    public int rank() {
        return array.rank();
    }

    public long size(int dim) {
        return array.size(dim);
    }

    public long length() {
        return array.length();
    }

    /** The number of elements as an int, for kernels working on Java arrays. */
    public int intLength() {
        long n = array.length();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor of " + n + " elements exceeds a Java array");
        }
        return (int) n;
    }

    /**
     * A view of the tensor's memory as a flat {@link LongBuffer} (native order, position 0, limit
     * {@link #length()}). Writes through it change this tensor. Valid while this tensor is alive.
     *
     * <p>Host and device memory: with ND4J's CUDA backend this first brings the host copy up to date and then
     * marks the host copy as the newest ({@link #hostWritten(INDArray)}), so that whatever the caller writes
     * reaches the device before the next device operation. Write through the buffer before the next ND4J or
     * kernel call on this tensor; for a later write, call {@link #buffer()} again.
     */
    public LongBuffer buffer() {
        // the caller must keep this tensor reachable while it uses the view (see the class comment)
        LongBuffer b = hostView(array);
        hostWritten(array);
        return b;
    }

    /**
     * The host memory of {@code a} as raw bytes for reading, with ND4J's CUDA backend first bringing the host
     * copy up to date (a no-op on the CPU backend).
     */
    static java.nio.ByteBuffer hostBytesForRead(INDArray a) {
        Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
        return a.data().asNio();
    }

    /**
     * Records that the host memory of {@code a} was written directly (through {@code asNio()}), so that ND4J's
     * CUDA backend copies it to the device before the next device operation instead of reading a stale device
     * copy (which could, for example, still hold a zero mask). A no-op on the CPU backend.
     */
    public static void hostWritten(INDArray a) {
        Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
    }

    private static LongBuffer hostView(INDArray a) {
        return hostBytesForRead(a).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    /** A copy of the elements in c-order. */
    public long[] toLongArray() {
        long[] out = new long[intLength()];
        try {
            hostView(array).get(out);
        } finally {
            Reference.reachabilityFence(array);
        }
        return out;
    }

    /** Copies the elements in c-order into {@code dst} starting at {@code offset}. */
    public void copyTo(long[] dst, int offset) {
        int n = intLength();
        try {
            hostView(array).get(dst, offset, n);
        } finally {
            Reference.reachabilityFence(array);
        }
    }

    /** Overwrites the elements in c-order from {@code src} starting at {@code offset}; returns this. */
    public RingTensor copyFrom(long[] src, int offset) {
        int n = intLength();
        try {
            hostView(array).put(src, offset, n);
            hostWritten(array);
        } finally {
            Reference.reachabilityFence(array);
        }
        return this;
    }

    public long getLong(long flatIndex) {
        return array.getLong(flatIndex);
    }

    public long getLong(long... index) {
        return array.getLong(index);
    }

    public RingTensor dup() {
        return new RingTensor(array.dup('c'));
    }

    /** A tensor of the new shape over a copy of the same elements in c-order. */
    public RingTensor reshape(long... newShape) {
        checkLength(array.length(), newShape);
        return new RingTensor(array.dup('c').reshape('c', newShape));
    }

    /** A tensor of the new shape sharing this tensor's memory. */
    public RingTensor reshapeView(long... newShape) {
        checkLength(array.length(), newShape);
        INDArray r = array.reshape('c', false, newShape);
        return wrap(r);
    }

    /** The transpose of a rank-2 tensor (a compact copy). */
    public RingTensor transpose() {
        requireRank(2, "transpose");
        return new RingTensor(array.transpose().dup('c'));
    }

    /** Axes permuted as in {@link INDArray#permute}; a compact copy. */
    public RingTensor permute(int... axes) {
        return new RingTensor(array.permute(axes).dup('c'));
    }

    private void requireRank(int r, String op) {
        if (array.rank() != r) {
            throw new IllegalArgumentException(op + " needs a rank-" + r + " tensor, got shape "
                    + Arrays.toString(array.shape()));
        }
    }

    private void requireSameShape(RingTensor other, String op) {
        if (!Arrays.equals(array.shape(), other.array.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ, " + Arrays.toString(array.shape())
                    + " vs " + Arrays.toString(other.array.shape()));
        }
    }

    // ---------------------------------------------------------------- elementwise, exact mod 2^64

    public RingTensor add(RingTensor other) {
        requireSameShape(other, "add");
        return new RingTensor(array.add(other.array));
    }

    public RingTensor addi(RingTensor other) {
        requireSameShape(other, "addi");
        array.addi(other.array);
        return this;
    }

    public RingTensor sub(RingTensor other) {
        requireSameShape(other, "sub");
        return new RingTensor(array.sub(other.array));
    }

    public RingTensor subi(RingTensor other) {
        requireSameShape(other, "subi");
        array.subi(other.array);
        return this;
    }

    public RingTensor neg() {
        return new RingTensor(array.neg());
    }

    public RingTensor negi() {
        array.negi();
        return this;
    }

    /** Elementwise product of two tensors of the same shape. */
    public RingTensor mul(RingTensor other) {
        requireSameShape(other, "mul");
        return new RingTensor(array.mul(other.array));
    }

    public RingTensor muli(RingTensor other) {
        requireSameShape(other, "muli");
        array.muli(other.array);
        return this;
    }

    /** Product with a public integer constant. */
    public RingTensor mul(long constant) {
        return new RingTensor(array.mul(constant));
    }

    public RingTensor muli(long constant) {
        array.muli(constant);
        return this;
    }

    /** Sum with a public integer constant. */
    public RingTensor add(long constant) {
        return new RingTensor(array.add(constant));
    }

    public RingTensor addi(long constant) {
        array.addi(constant);
        return this;
    }

    // ---------------------------------------------------------------- shifts by a public amount

    /** Arithmetic (sign-extending) right shift {@code x >> k} of every element, {@code 0 <= k <= 63}. */
    public RingTensor shiftRight(int k) {
        return dup().shiftRighti(k);
    }

    public RingTensor shiftRighti(int k) {
        checkShift(k);
        long[] x = toLongArray();
        for (int i = 0; i < x.length; i++) {
            x[i] >>= k;
        }
        return copyFrom(x, 0);
    }

    /** Logical (zero-filling) right shift {@code x >>> k} of every element, {@code 0 <= k <= 63}. */
    public RingTensor shiftRightLogical(int k) {
        return dup().shiftRightLogicali(k);
    }

    public RingTensor shiftRightLogicali(int k) {
        checkShift(k);
        long[] x = toLongArray();
        for (int i = 0; i < x.length; i++) {
            x[i] >>>= k;
        }
        return copyFrom(x, 0);
    }

    /** Left shift {@code x << k} (product with 2^k mod 2^64) of every element, {@code 0 <= k <= 63}. */
    public RingTensor shiftLeft(int k) {
        return dup().shiftLefti(k);
    }

    public RingTensor shiftLefti(int k) {
        checkShift(k);
        long[] x = toLongArray();
        for (int i = 0; i < x.length; i++) {
            x[i] <<= k;
        }
        return copyFrom(x, 0);
    }

    private static void checkShift(int k) {
        if (k < 0 || k > 63) {
            throw new IllegalArgumentException("shift amount must be in [0, 63], got " + k);
        }
    }

    /** True when both tensors have the same shape and elements. */
    public boolean contentEquals(RingTensor other) {
        return Arrays.equals(array.shape(), other.array.shape())
                && Arrays.equals(toLongArray(), other.toLongArray());
    }

    /** Shape only: the elements may be secret shares and are never printed. */
    @Override
    public String toString() {
        return "RingTensor" + Arrays.toString(array.shape());
    }
}
