package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.binary.Aby3Msb;
import org.fastcrypt4j.mpc.binary.BitInjection;
import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.binary.SharedBits;
import org.fastcrypt4j.mpc.falcon.FalconMsb;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

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
}
