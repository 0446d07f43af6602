package org.fastcrypt4j.mpc.binary;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * ABY3-style MSB (ABY3 section 5.3; PROTOCOLS.md 4.1 variant T and 4.2): arithmetic-to-binary
 * conversion with the "MSB only" binary-tree carry circuit over bit-sliced words ({@link A2B#msb}).
 * Exact for every ring element. Cost per element: {@value #ROUNDS} rounds, 245 / 181 / 181 bits sent by
 * P0 / P1 / P2 ({@link #expectedBytesPerElement}), no opening, no randomness beyond the pairwise keys.
 */
public final class Aby3Msb implements MsbProtocol {

    /** Message layers: input, generate, six tree layers. */
    public static final int ROUNDS = A2B.MSB_ROUNDS;

    /** Bytes sent by {@code party} per element (30.625 / 22.625 / 22.625). */
    public static double expectedBytesPerElement(int party) {
        return A2B.MSB_BITS_PER_ELEMENT[party] / 8.0;
    }

    @Override
    public SharedBits msb(Session s, SharedTensor x) {
        return A2B.msb(s, x);
    }
}
