package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * Leaky ReLU y = x for x &gt;= 0, alpha x otherwise (DL4J's {@code ActivationLReLU}), on shares. Nothing is revealed.
 * <ol>
 *   <li>d = {@link Drelu}(x), a 0/1 sharing at scale 0.</li>
 *   <li>c = enc(alpha) + d (2^f - enc(alpha)): the slope as a fixed-point sharing, exactly 1 where x &gt;= 0 (local:
 *       a public constant times a scale-0 sharing, plus a public constant).</li>
 *   <li>y = x c, one fixed-point product ({@link FixedPointOps#mul}). The slope c is kept for the backward pass,
 *       dX = dY c (one fixed-point product).</li>
 * </ol>
 * Accuracy (f = 20): the slope alpha is encoded with an error below 2^-21, and the truncation adds at most 2^-20,
 * so |y - leakyrelu(x)| &lt;= |x| 2^-21 + 2^-20 (under 1.1e-3 for |x| &lt; 2048). Valid for |x| &lt; 2^22 (the
 * truncation's safe range) and alpha in [0, 1).
 *
 * <p>Cost with the ABY3-style MSB and the wrap-free truncation: DReLU then one fixed-point product,
 * {@link #FORWARD_ROUNDS_ABY3} rounds from a level start, {@link #expectedForwardBytesPerElement} bytes per element
 * (DReLU's 38.625 / 30.625 + 10.5 = 49.125 for P0, 41.125 for P1 and P2 at f = 20; measured equal in
 * ActivationFunctionsTest). Backward: {@link #BACKWARD_ROUNDS} rounds,
 * 8 + f/8 = 10.5 bytes per element per party.
 */
public final class LeakyRelu {

    /**
     * Forward rounds with the ABY3-style MSB and the wrap-free truncation, from a level start: the product's 3 rounds
     * overlap the DReLU's last one (P0 and P2 hold the DReLU sharing a round before P1, as in {@link Relu#depthAfter}).
     */
    public static final int FORWARD_ROUNDS_ABY3 = Drelu.ROUNDS_ABY3 + 2;

    /** Backward rounds with the wrap-free truncation (one fixed-point product). */
    public static final int BACKWARD_ROUNDS = 3;

    /** The output and the slope sharing c kept for {@link #backward}. */
    public record Forward(SharedTensor output, SharedTensor slope) {
    }

    private LeakyRelu() {
    }

    /** y = max(x, alpha x) for alpha in [0, 1). */
    public static Forward forward(Session s, SharedTensor x, double alpha) {
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("party " + s.party() + ": leaky ReLU slope must be in [0, 1), got "
                    + alpha);
        }
        int f = s.fractionalBits();
        SharedTensor d = Drelu.compute(s, x);
        long a = FixedPointOps.encode(alpha, f);
        SharedTensor c = d.mul((1L << f) - a).addPublic(a);
        return new Forward(FixedPointOps.mul(s, x, c), c);
    }

    /** dX = dY c. */
    public static SharedTensor backward(Session s, Forward forward, SharedTensor dY) {
        return FixedPointOps.mul(s, dY, forward.slope());
    }

    /** Forward bytes sent by {@code party} per element (ABY3-style MSB, wrap-free truncation). */
    public static double expectedForwardBytesPerElement(int party, int f) {
        return Drelu.expectedBytesPerElement(party) + 8 + f / 8.0;
    }

    /** Backward bytes per element per party (wrap-free truncation). */
    public static double backwardBytesPerElement(int f) {
        return 8 + f / 8.0;
    }
}
