package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.functions.InverseSqrt;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J's Adam ({@code AdamUpdater}) on shares for the parameters of one optimizer step that use it: with g' the
 * gradient after division by N, clipping and L1/L2 (as for the other updaters), t = iteration + 1,
 * <pre>
 *   m &lt;- b1 m + (1 - b1) g'        v &lt;- b2 v + (1 - b2) g'^2
 *   alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t)      update = alpha_t m / (sqrt(v) + eps)
 * </pre>
 * The caller applies {@code w <- w - alpha_t u - wd w} with the normalised step {@code u = m / sqrt(v)} this class
 * returns (in its truncation pass of all parameters).
 *
 * <p>Fixed-point care. DL4J's default epsilon (1e-8) is far below the precision at f = 20 (about 1e-6), and the
 * second moment of small gradients underflows: v = (1 - b2) g^2 is 1e-11 after the first step of a gradient of
 * 1e-4, which rounds to 0 at f bits, and the step would blow up or freeze. So the state has wider fractions: m at
 * {@value #M_BITS} bits and v at {@value #V_BITS} bits (1.5e-11), their decays applied with {@value #DECAY_BITS}-bit
 * constants (which keeps |v| &lt; 64 within the ring's room), and 1/sqrt(v) comes from {@link InverseSqrt} over
 * [4^{@value #LO}, 4^({@value #HI} + 1)) = [2.3e-10, 64). Below that range the inverse square root stays below
 * 5.32 * 2^16, which acts as an epsilon of about 3e-6 on sqrt(v) (DL4J's epsilon, up to {@value #MAX_EPSILON}, is
 * negligible beside the precision and is not added): a parameter whose gradients stay under about 1.5e-5 (5e-4 in the
 * first step) moves less than in DL4J. The step's relative precision is about 2^-37 / v + 1e-5: 7e-5 for a
 * gradient of 1e-2 in the first step, a few percent near the bottom of the range. v must stay below 64 (gradients, after division by the batch size, below 8:
 * clip them when they may be larger).
 *
 * <p>Steps and cost per parameter: g' (one truncation pass, 2 rounds), g'^2 (one product, 3 rounds, 8 + 3.5 bytes),
 * m and v (one truncation pass, 2 rounds, 2 values), 1/sqrt(v) ({@value #HI} - ({@value #LO}) = 18 compared values
 * and 15 products: about 10 + 30 rounds and 18 * 39 + 15 * 10.5 bytes from P0), u = m / sqrt(v) (one product).
 * About 60 rounds per step whatever the network's size, and about 900 bytes per parameter from P0 (800 from the
 * others). Nothing is opened.
 */
final class AdamSteps {

    /** Fractional bits of the first moment m. */
    static final int M_BITS = 26;

    /** Fractional bits of the second moment v. */
    static final int V_BITS = 36;

    /** Fractional bits of the decay constants in the moments' update (v at 36 bits leaves room for 20). */
    static final int DECAY_BITS = 20;

    /** The inverse square root's range: [4^LO, 4^(HI+1)). */
    static final int LO = -16;
    static final int HI = 2;

    /** The largest epsilon accepted (ignored beside the floor of the inverse square root). */
    static final double MAX_EPSILON = 1e-5;

    /** One parameter's Adam state. */
    static final class State {
        SharedTensor m;
        SharedTensor v;
    }

    private AdamSteps() {
    }

    /** Why {@code adam} cannot run on shares, or null. */
    static String problem(Adam adam) {
        if (adam.getEpsilon() > MAX_EPSILON) {
            return "updater Adam with epsilon " + adam.getEpsilon() + " not supported (at most " + MAX_EPSILON + ")";
        }
        return null;
    }

    /** alpha_t of DL4J's Adam at this iteration. */
    static double alpha(Adam adam, double lr, long iteration) {
        double t = iteration + 1;
        double a = lr * Math.sqrt(1 - Math.pow(adam.getBeta2(), t)) / (1 - Math.pow(adam.getBeta1(), t));
        return Double.isNaN(a) || a == 0 ? adam.getEpsilon() : a;
    }

    /**
     * The normalised steps u = m / sqrt(v) (at f bits) of the Adam parameters, updating their states: {@code gPrime}
     * holds each parameter's g' at scale f + {@link SecureOptimizer#CONSTANT_BITS} (not yet truncated), {@code adams}
     * their configurations.
     */
    static Map<String, SharedTensor> steps(Session s, Map<String, SharedTensor> gPrime, Map<String, Adam> adams,
            Map<String, State> states) {
        int f = s.fractionalBits();
        int c = SecureOptimizer.CONSTANT_BITS;
        int d = DECAY_BITS;
        List<String> keys = new ArrayList<>(gPrime.keySet());
        // g' at M_BITS
        SharedTensor[] g = SecureOptimizer.truncateAll(s, values(keys, gPrime), c + f - M_BITS);
        // g'^2 at V_BITS: one product pass
        List<SharedTensor> flatG = List.of(g);
        SharedTensor all = SharedTensor.concatFlat(s.party(), flatG);
        SharedTensor sq = Truncation.truncateProduct(s, Multiplication.localShare(s, all, all,
                Multiplication.ELEMENTWISE), 2 * M_BITS - V_BITS);
        SharedTensor[] g2 = sq.splitFlat(shapes(flatG));
        // m and v: one truncation pass of 2 values per parameter
        List<SharedTensor> combos = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Adam adam = adams.get(keys.get(i));
            State st = states.get(keys.get(i));
            long[] shape = g[i].shape();
            SharedTensor m = st.m == null ? SharedTensor.zeros(s.party(), shape) : st.m;
            SharedTensor v = st.v == null ? SharedTensor.zeros(s.party(), shape) : st.v;
            combos.add(m.mul(constant(adam.getBeta1(), d)).add(g[i].mul(constant(1 - adam.getBeta1(), d))));
            combos.add(v.mul(constant(adam.getBeta2(), d)).add(g2[i].mul(constant(1 - adam.getBeta2(), d))));
        }
        SharedTensor[] mv = SecureOptimizer.truncateAll(s, combos, d);
        List<SharedTensor> ms = new ArrayList<>();
        List<SharedTensor> vs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            State st = states.get(keys.get(i));
            st.m = mv[2 * i];
            st.v = mv[2 * i + 1];
            ms.add(st.m);
            vs.add(st.v);
        }
        // 1/sqrt(v) at f, then u = m / sqrt(v) at f
        SharedTensor r = InverseSqrt.inverseSqrt(s, SharedTensor.concatFlat(s.party(), vs), V_BITS, LO, HI);
        SharedTensor u = Truncation.truncateProduct(s, Multiplication.localShare(s,
                SharedTensor.concatFlat(s.party(), ms), r, Multiplication.ELEMENTWISE), M_BITS);
        SharedTensor[] us = u.splitFlat(shapes(ms));
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), us[i]);
        }
        return out;
    }

    private static List<SharedTensor> values(List<String> keys, Map<String, SharedTensor> m) {
        List<SharedTensor> out = new ArrayList<>();
        keys.forEach(k -> out.add(m.get(k)));
        return out;
    }

    private static List<long[]> shapes(List<SharedTensor> xs) {
        List<long[]> out = new ArrayList<>();
        xs.forEach(x -> out.add(x.shape()));
        return out;
    }

    private static long constant(double v, int bits) {
        return Math.round(v * (double) (1L << bits));
    }
}
