package org.fastcrypt4j.mpc.functions;

import java.util.Collections;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * A continuous or discontinuous function of three linear pieces on shares, y = a_i x + b_i on [t_(i-1), t_i) with
 * public breakpoints and coefficients: DL4J's {@code ActivationReLU} with a cap, a threshold or a negative slope,
 * {@code ActivationReLU6}, {@code ActivationHardTanH}, {@code ActivationHardSigmoid}, and leaky ReLU with any slope.
 * Nothing is revealed.
 * <ol>
 *   <li>d_1 = [x &gt;= t_1], d_2 = [x &gt;= t_2]: {@link Drelu} of x - t_1 and x - t_2 in one pass (one comparison per
 *       element when there is a single breakpoint).</li>
 *   <li>c = a_1 + d_1 (a_2 - a_1) + d_2 (a_3 - a_2) and o = b_1 + d_1 (b_2 - b_1) + d_2 (b_3 - b_2): local (0/1
 *       sharings at scale 0 times public fixed-point constants).</li>
 *   <li>y = c x (one fixed-point product) + o. The slope c is kept for the backward pass: dX = dY c (one fixed-point
 *       product), the derivative of each piece (DL4J's, whose derivative at a breakpoint is the piece's on its
 *       right).</li>
 * </ol>
 * Accuracy (f = 20): each coefficient is encoded within 2^-21 and the product's truncation adds at most 2^-20, so
 * |y - f(x)| &lt;= |x| 2^-21 + 2^-19 (under 1.1e-3 for |x| &lt; 2048). Valid for |x| and |t_i| below 2^22.
 *
 * <p>Cost (ABY3-style MSB, wrap-free truncation): one DReLU pass over k = 1 or 2 values per element and one
 * fixed-point product, {@link LeakyRelu#FORWARD_ROUNDS_ABY3} rounds, k * 38.625 + 10.5 bytes per element from P0 (k *
 * 30.625 + 10.5 from P1 and P2) at f = 20. Backward: 3 rounds, 10.5 bytes per element per party.
 */
public final class PiecewiseLinear {

    /**
     * The pieces: slope and offset below {@code t1}, between {@code t1} and {@code t2}, and from {@code t2} on (no
     * second breakpoint: {@code t2} infinite, and the third piece unused).
     */
    public record Pieces(double t1, double t2, double a1, double b1, double a2, double b2, double a3, double b3) {

        public Pieces {
            if (!(t1 < t2) || Double.isNaN(t2) || !Double.isFinite(t1) || !Double.isFinite(a1) || !Double.isFinite(b1)
                    || !Double.isFinite(a2) || !Double.isFinite(b2)) {
                throw new IllegalArgumentException("pieces need t1 < t2 and finite coefficients");
            }
        }

        /** Two pieces: a1 x + b1 below t, a2 x + b2 from t on. */
        public static Pieces two(double t, double a1, double b1, double a2, double b2) {
            return new Pieces(t, Double.POSITIVE_INFINITY, a1, b1, a2, b2, 0, 0);
        }

        /** DL4J's ActivationReLU: x &gt;= threshold ? min(x, max) : slope (x - threshold) (max null: no cap). */
        public static Pieces relu(Double max, double threshold, double slope) {
            if (max == null) {
                return two(threshold, slope, -slope * threshold, 1, 0);
            }
            return new Pieces(threshold, max, slope, -slope * threshold, 1, 0, 0, max);
        }

        /** min(max(p x + q, lo), hi) for p &gt; 0 and lo &lt; hi (hard tanh, hard sigmoid). */
        public static Pieces clamp(double p, double q, double lo, double hi) {
            return new Pieces((lo - q) / p, (hi - q) / p, 0, lo, p, q, 0, hi);
        }

        /** The plaintext function, for tests and documentation. */
        public double apply(double x) {
            return x < t1 ? a1 * x + b1 : x < t2 ? a2 * x + b2 : a3 * x + b3;
        }

        /** The plaintext derivative (the right-hand one at a breakpoint). */
        public double slope(double x) {
            return x < t1 ? a1 : x < t2 ? a2 : a3;
        }

        boolean twoBreakpoints() {
            return Double.isFinite(t2);
        }
    }

    /** The output and the slope sharing c kept for {@link #backward}. */
    public record Forward(SharedTensor output, SharedTensor slope) {
    }

    /** The largest |breakpoint| or |coefficient| accepted (within the truncation's safe range at f = 20). */
    static final double MAX_CONSTANT = 1 << 20;

    private PiecewiseLinear() {
    }

    /** y = f(x) for the function given by {@code p}. */
    public static Forward forward(Session s, SharedTensor x, Pieces p) {
        int f = s.fractionalBits();
        for (double c : new double[] {p.t1(), p.a1(), p.b1(), p.a2(), p.b2(), p.a3(), p.b3()}) {
            if (Math.abs(c) > MAX_CONSTANT) {
                throw new IllegalArgumentException("party " + s.party() + ": piecewise-linear constant " + c
                        + " beyond +-" + MAX_CONSTANT);
            }
        }
        SharedTensor d1;
        SharedTensor d2 = null;
        if (p.twoBreakpoints()) {
            if (Math.abs(p.t2()) > MAX_CONSTANT) {
                throw new IllegalArgumentException("party " + s.party() + ": breakpoint " + p.t2() + " beyond +-"
                        + MAX_CONSTANT);
            }
            SharedTensor both = SharedTensor.concatFlat(s.party(), java.util.List.of(
                    x.addPublic(-FixedPointOps.encode(p.t1(), f)), x.addPublic(-FixedPointOps.encode(p.t2(), f))));
            SharedTensor[] d = Drelu.compute(s, both).splitFlat(Collections.nCopies(2, x.shape()));
            d1 = d[0];
            d2 = d[1];
        } else {
            d1 = Drelu.compute(s, x.addPublic(-FixedPointOps.encode(p.t1(), f)));
        }
        long a1 = FixedPointOps.encode(p.a1(), f);
        long a2 = FixedPointOps.encode(p.a2(), f);
        long b1 = FixedPointOps.encode(p.b1(), f);
        long b2 = FixedPointOps.encode(p.b2(), f);
        SharedTensor c = d1.mul(a2 - a1).addPublic(a1);
        SharedTensor o = d1.mul(b2 - b1).addPublic(b1);
        if (d2 != null) {
            c = c.add(d2.mul(FixedPointOps.encode(p.a3(), f) - a2));
            o = o.add(d2.mul(FixedPointOps.encode(p.b3(), f) - b2));
        }
        return new Forward(FixedPointOps.mul(s, x, c).add(o), c);
    }

    /** dX = dY c. */
    public static SharedTensor backward(Session s, Forward forward, SharedTensor dY) {
        return FixedPointOps.mul(s, dY, forward.slope());
    }

    /** Forward bytes sent by {@code party} per element (ABY3-style MSB, wrap-free truncation). */
    public static double expectedForwardBytesPerElement(Pieces p, int party, int f) {
        return (p.twoBreakpoints() ? 2 : 1) * Drelu.expectedBytesPerElement(party) + 8 + f / 8.0;
    }
}
