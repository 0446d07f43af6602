package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * ReLU forward and backward (PROTOCOLS.md 6). Forward: y = x * DReLU(x) with DReLU an arithmetic 0/1
 * sharing (scale 0, so no truncation); [[DReLU]] is kept for the backward pass, dX = dY * DReLU (one
 * multiplication: 1 round, 8 bytes per element per party).
 *
 * <p>Forward cost with the ABY3-style MSB: MSB (8 rounds) + B2A 4.3 (ii) (2 rounds) + one
 * multiplication = {@value #FORWARD_ROUNDS_ABY3} rounds, 46.625 / 38.625 / 38.625 bytes per element.
 * PROTOCOLS.md 6 lists 10 rounds with the OT-based bit-times-arithmetic product 4.3 (iii)
 * (54.6 / 30.6 / 46.6 bytes); this construction trades one round for fewer bytes in total and a
 * simpler protocol. Nothing is opened. Rounds are the message depth from a state where all parties
 * are level; after a step in which P0 finished early (for example a previous ReLU) the measured depth
 * is 10, because P0's A2B input round overlaps the other parties' last round.
 */
public final class Relu {

    /** Forward rounds with the ABY3-style MSB. */
    public static final int FORWARD_ROUNDS_ABY3 = Drelu.ROUNDS_ABY3 + 1;

    /** Backward rounds. */
    public static final int BACKWARD_ROUNDS = 1;

    /** Backward bytes per element per party. */
    public static final double BACKWARD_BYTES_PER_ELEMENT = 8.0;

    /** The output and the DReLU bits kept for {@link #backward}. */
    public record Forward(SharedTensor output, SharedTensor drelu) {
    }

    private Relu() {
    }

    /**
     * Causal depth of each party's output when the parties hold the input at depths {@code t} (ABY3-style MSB): a
     * model of the message pattern for round counts of chains. P1 holds the output {@value #FORWARD_ROUNDS_ABY3}
     * rounds after a level start and P0 and P2 one round earlier (their product share arrives first, as in
     * {@link Max#depthAfter}); an input that P0 and P2 hold one round before P1 counts as level. Checked against
     * the measured depth of the softmax, whose clamp is a ReLU right after a max.
     */
    public static long[] depthAfter(long[] t) {
        long start = Math.max(Math.max(t[0] + 1, t[1]), t[2] + 1);
        return new long[] {start + FORWARD_ROUNDS_ABY3 - 2, start + FORWARD_ROUNDS_ABY3 - 1,
            start + FORWARD_ROUNDS_ABY3 - 2};
    }

    /** Forward bytes sent by {@code party} per element with the ABY3-style MSB. */
    public static double expectedForwardBytesPerElement(int party) {
        return Drelu.expectedBytesPerElement(party) + 8.0;
    }

    /** y = max(x, 0) with the session's MSB protocol. */
    public static Forward forward(Session s, SharedTensor x) {
        return forward(s, x, MsbProtocols.of(s.settings().msb()));
    }

    /** y = max(x, 0) with the given MSB protocol. */
    public static Forward forward(Session s, SharedTensor x, MsbProtocol msb) {
        SharedTensor d = Drelu.compute(s, x, msb);
        SharedTensor y = Multiplication.bilinear(s, "relu/mul", x, d, Multiplication.ELEMENTWISE);
        return new Forward(y, d);
    }

    /** dX = dY * DReLU(x): 1 round, 8 bytes per element per party, no truncation. */
    public static SharedTensor backward(Session s, Forward forward, SharedTensor dY) {
        return Multiplication.bilinear(s, "relu/backward", dY, forward.drelu(), Multiplication.ELEMENTWISE);
    }
}
