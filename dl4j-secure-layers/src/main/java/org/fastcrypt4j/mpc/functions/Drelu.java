package org.fastcrypt4j.mpc.functions;

import java.util.Arrays;

import org.fastcrypt4j.mpc.binary.A2B;
import org.fastcrypt4j.mpc.binary.Aby3Msb;
import org.fastcrypt4j.mpc.binary.BitInjection;
import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.falcon.FalconMsb;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * DReLU(x) = 1 if s(x) >= 0 else 0, as an arithmetic sharing of a 0/1 value (scale 0): the binary
 * NOT of msb(x) (a public XOR, free), then one-bit B2A ({@link BitInjection}). DReLU(0) = 1, so
 * comparisons built on it break ties towards the left operand.
 *
 * <p>Cost with {@link Aby3Msb}: 8 + 2 = 10 rounds, 38.625 / 30.625 / 30.625 bytes per element
 * ({@link #expectedBytesPerElement}); nothing opened. With {@link FalconMsb} the MSB part is that
 * protocol's.
 */
public final class Drelu {

    /** Rounds with the ABY3-style MSB. */
    public static final int ROUNDS_ABY3 = Aby3Msb.ROUNDS + BitInjection.ROUNDS;

    private Drelu() {
    }

    /** Bytes sent by {@code party} per element with the ABY3-style MSB. */
    public static double expectedBytesPerElement(int party) {
        return Aby3Msb.expectedBytesPerElement(party) + BitInjection.BYTES_PER_ELEMENT;
    }

    /** DReLU with the session's MSB protocol. */
    public static SharedTensor compute(Session s, SharedTensor x) {
        return compute(s, x, MsbProtocols.of(s.settings().msb()));
    }

    /** DReLU with the given MSB protocol. */
    public static SharedTensor compute(Session s, SharedTensor x, MsbProtocol msb) {
        SharedBits sign = msb.msb(s, x);
        return BitInjection.toArithmetic(s, sign.not(), x.shape());
    }

    /**
     * DReLU of values known to lie in [-2^(bits-1), 2^(bits-1)) (comparisons of bounded values): the ABY3-style
     * circuit on the low {@code bits} bit planes ({@link A2B#msb(Session, SharedTensor, int)}) whatever the session's
     * MSB protocol, {@link #expectedBytesPerElement(int, int)} bytes per element and {@link #rounds(int)} rounds. A
     * value outside that range gives an arbitrary bit.
     */
    public static SharedTensor computeWithin(Session s, SharedTensor x, int bits) {
        SharedBits sign = A2B.msb(s, x, bits);
        return BitInjection.toArithmetic(s, sign.not(), x.shape());
    }

    /** Bytes sent by {@code party} per element by {@link #computeWithin} with {@code bits} bits. */
    public static double expectedBytesPerElement(int party, int bits) {
        return A2B.msbBitsPerElement(party, bits) / 8.0 + BitInjection.BYTES_PER_ELEMENT;
    }

    /**
     * Rounds of {@link #computeWithin} with 34 to 64 bits: 10, as a full DReLU (with fewer bits the carry tree is
     * shallower, and the causal count then depends on which party receives its last layer: at most this many).
     */
    public static int rounds(int bits) {
        return A2B.msbRounds(bits) + BitInjection.ROUNDS;
    }

    /**
     * DReLU of several sharings of the same shape in one pass (the session's MSB protocol): the rounds of a single
     * DReLU, and the bytes of all elements together. Returns the 0/1 sharings in the order given.
     */
    public static SharedTensor[] computeAll(Session s, SharedTensor... xs) {
        long[] shape = xs[0].shape();
        int n = xs[0].intLength();
        long[] a = new long[n * xs.length];
        long[] b = new long[n * xs.length];
        for (int k = 0; k < xs.length; k++) {
            if (!Arrays.equals(shape, xs[k].shape())) {
                throw new IllegalArgumentException("party " + s.party() + ": computeAll needs equal shapes, got "
                        + Arrays.toString(shape) + " and " + Arrays.toString(xs[k].shape()));
            }
            xs[k].first().copyTo(a, k * n);
            xs[k].second().copyTo(b, k * n);
        }
        SharedTensor all = compute(s, new SharedTensor(s.party(), RingTensor.of(a, a.length),
                RingTensor.of(b, b.length)));
        long[] da = all.first().toLongArray();
        long[] db = all.second().toLongArray();
        SharedTensor[] out = new SharedTensor[xs.length];
        for (int k = 0; k < xs.length; k++) {
            out[k] = new SharedTensor(s.party(), RingTensor.copyOf(da, k * n, shape), RingTensor.copyOf(db, k * n, shape));
        }
        return out;
    }
}
