package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * tanh(x) = 2 s(2x) - 1 with the {@link Sigmoid} protocol, as CrypTen computes it (Knott et al., NeurIPS 2021;
 * CrypTen's {@code tanh} in crypten/common/functions/approximations.py): 2x and the affine map are local, so the
 * cost is the sigmoid's. Nothing is revealed.
 *
 * <p>Backward: dX = dY (1 - t^2), one fixed-point square and one product in a chain.
 *
 * <p>Accuracy (f = 20): absolute error about 2.6e-3 at most (twice the sigmoid's); measured below 1.8e-3
 * (ActivationFunctionsTest). Valid for |x| &lt; 2^41; the networks' inputs satisfy |x| &lt; 2048.
 *
 * <p>Cost with the ABY3-style MSB and the wrap-free truncation: {@link #expectedForwardRounds} rounds of causal depth
 * and {@link #expectedForwardBytesPerElement} bytes per element per party (those of {@link Sigmoid}: 87 rounds,
 * 527.875 / 487.875 / 487.875 bytes at f = 20); backward
 * {@link #BACKWARD_ROUNDS} rounds and 2 (8 + f/8) = 21 bytes per element per party.
 */
public final class Tanh {

    /** Backward rounds with the wrap-free truncation (a square, then a product). */
    public static final int BACKWARD_ROUNDS = Sigmoid.BACKWARD_ROUNDS;

    private Tanh() {
    }

    /** tanh(x), elementwise, any shape. */
    public static SharedTensor tanh(Session s, SharedTensor x) {
        return Sigmoid.sigmoid(s, x.mul(2)).mul(2).addPublic(-(1L << s.fractionalBits()));
    }

    /** dX = dY (1 - t^2) for the forward output {@code t} = tanh(x). */
    public static SharedTensor backward(Session s, SharedTensor t, SharedTensor dY) {
        SharedTensor slope = FixedPointOps.square(s, t).neg().addPublic(1L << s.fractionalBits());
        return FixedPointOps.mul(s, dY, slope);
    }

    /** Forward rounds (causal depth) with the ABY3-style MSB and the session's truncation. */
    public static int expectedForwardRounds(MpcSettings settings) {
        return Sigmoid.expectedForwardRounds(settings);
    }

    /** Forward bytes sent by {@code party} per element (ABY3-style MSB, wrap-free truncation). */
    public static double expectedForwardBytesPerElement(int party, int f) {
        return Sigmoid.expectedForwardBytesPerElement(party, f);
    }
}
