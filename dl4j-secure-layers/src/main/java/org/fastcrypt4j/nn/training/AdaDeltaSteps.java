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
import org.nd4j.linalg.learning.config.AdaDelta;

/**
 * DL4J's AdaDelta on shares (libnd4j's {@code ada_delta_updater}; Zeiler 2012), for the parameters of one optimizer
 * step that use it. With g' the gradient after division by N, clipping and L1/L2, rho and eps the configuration's:
 * <pre>
 *   msg  &lt;- rho msg + (1 - rho) g'^2
 *   step  = g' sqrt(msdx + eps) / sqrt(msg + eps)          (msdx before this step's update)
 *   msdx &lt;- rho msdx + (1 - rho) step^2
 * </pre>
 * AdaDelta has no learning rate: the caller applies {@code w <- w - step} (and weight decay with a learning rate of 1,
 * as DL4J does).
 *
 * <p>Fixed point, as {@link AdaptiveSteps}: g' at {@value AdaptiveSteps#M_BITS} bits and a copy at
 * {@value AdaptiveSteps#SQUARED_BITS} bits for its square, msg and msdx at {@value AdaptiveSteps#V_BITS} bits with
 * {@value AdaptiveSteps#DECAY_BITS}-bit decays; eps (1e-6 by default) is added exactly, so both square roots are in the
 * inverse square root's range [eps, 64). sqrt(msdx + eps) = (msdx + eps) / sqrt(msdx + eps) is kept at 32 bits and
 * g' / sqrt(msg + eps) at 26, so their product (the step) has 26 bits before it is squared for msdx and truncated to f
 * for the update. msg and msdx must stay below 64.
 *
 * <p>Cost per parameter: two truncation passes (g'), one product (g'^2), one truncation pass (msg), the inverse square
 * roots of 2 values (18 compared values, 42 products), three products (the square root, the quotient, the step), the
 * step squared, one truncation pass (msdx) and one (the step at f): about 85 rounds per optimizer step and 1,300 bytes
 * per parameter from P0. Nothing is opened.
 */
final class AdaDeltaSteps {

    /** Fractional bits of sqrt(msdx + eps). */
    private static final int ROOT_BITS = 32;

    /** One parameter's state. */
    static final class State {
        SharedTensor msg;
        SharedTensor msdx;
    }

    private AdaDeltaSteps() {
    }

    /**
     * The steps (at f bits) of the AdaDelta parameters, updating their states: {@code gPrime} holds each parameter's g'
     * at scale f + {@link SecureOptimizer#CONSTANT_BITS} (not yet truncated).
     */
    static Map<String, SharedTensor> steps(Session s, Map<String, SharedTensor> gPrime, Map<String, AdaDelta> configs,
            Map<String, State> states) {
        int f = s.fractionalBits();
        int c = SecureOptimizer.CONSTANT_BITS;
        int d = AdaptiveSteps.DECAY_BITS;
        int mb = AdaptiveSteps.M_BITS;
        int sb = AdaptiveSteps.SQUARED_BITS;
        int vb = AdaptiveSteps.V_BITS;
        List<String> keys = new ArrayList<>(gPrime.keySet());
        List<SharedTensor> gp = new ArrayList<>();
        keys.forEach(k -> gp.add(gPrime.get(k)));
        SharedTensor[] g = SecureOptimizer.truncateAll(s, gp, c + f - mb);
        SharedTensor[] g2 = squares(s, List.of(SecureOptimizer.truncateAll(s, gp, c + f - sb)), 2 * sb - vb);
        // msg, then msdx + eps and msg + eps
        List<SharedTensor> combos = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            State st = states.get(keys.get(i));
            double rho = configs.get(keys.get(i)).getRho();
            SharedTensor msg = st.msg == null ? SharedTensor.zeros(s.party(), g[i].shape()) : st.msg;
            combos.add(msg.mul(AdaptiveSteps.constant(rho, d)).add(g2[i].mul(AdaptiveSteps.constant(1 - rho, d))));
        }
        SharedTensor[] msg = SecureOptimizer.truncateAll(s, combos, d);
        List<SharedTensor> plusEps = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            State st = states.get(keys.get(i));
            long eps = AdaptiveSteps.constant(configs.get(keys.get(i)).getEpsilon(), vb);
            SharedTensor msdx = st.msdx == null ? SharedTensor.zeros(s.party(), g[i].shape()) : st.msdx;
            plusEps.add(msdx.addPublic(eps));
            plusEps.add(msg[i].addPublic(eps));
            st.msg = msg[i];
        }
        SharedTensor all = SharedTensor.concatFlat(s.party(), plusEps);
        SharedTensor[] r = InverseSqrt.inverseSqrt(s, all, vb, AdaptiveSteps.LO, AdaptiveSteps.HI)
                .splitFlat(AdaptiveSteps.shapes(plusEps));
        // sqrt(msdx + eps) at ROOT_BITS and g' / sqrt(msg + eps) at SQUARED_BITS, in one product pass each
        List<SharedTensor> roots = new ArrayList<>();
        List<SharedTensor> rootsR = new ArrayList<>();
        List<SharedTensor> quotG = new ArrayList<>();
        List<SharedTensor> quotR = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            roots.add(plusEps.get(2 * i));
            rootsR.add(r[2 * i]);
            quotG.add(g[i]);
            quotR.add(r[2 * i + 1]);
        }
        SharedTensor root = product(s, roots, rootsR, vb + f - ROOT_BITS);
        SharedTensor quotient = product(s, quotG, quotR, mb + f - sb);
        SharedTensor step = Truncation.truncateProduct(s, Multiplication.localShare(s, root, quotient,
                Multiplication.ELEMENTWISE), ROOT_BITS);
        SharedTensor[] steps = step.splitFlat(AdaptiveSteps.shapes(quotG));
        SharedTensor[] step2 = squares(s, List.of(steps), 2 * sb - vb);
        List<SharedTensor> next = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            State st = states.get(keys.get(i));
            double rho = configs.get(keys.get(i)).getRho();
            SharedTensor msdx = st.msdx == null ? SharedTensor.zeros(s.party(), g[i].shape()) : st.msdx;
            next.add(msdx.mul(AdaptiveSteps.constant(rho, d)).add(step2[i].mul(AdaptiveSteps.constant(1 - rho, d))));
        }
        SharedTensor[] msdx = SecureOptimizer.truncateAll(s, next, d);
        SharedTensor[] atF = SecureOptimizer.truncateAll(s, List.of(steps), sb - f);
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            states.get(keys.get(i)).msdx = msdx[i];
            out.put(keys.get(i), atF[i]);
        }
        return out;
    }

    /** The elementwise products of two lists of tensors, flattened, truncated by {@code shift} in one pass. */
    private static SharedTensor product(Session s, List<SharedTensor> a, List<SharedTensor> b, int shift) {
        return Truncation.truncateProduct(s, Multiplication.localShare(s, SharedTensor.concatFlat(s.party(), a),
                SharedTensor.concatFlat(s.party(), b), Multiplication.ELEMENTWISE), shift);
    }

    /** The squares of {@code xs}, truncated by {@code shift}, in one product pass. */
    private static SharedTensor[] squares(Session s, List<SharedTensor> xs, int shift) {
        return product(s, xs, xs, shift).splitFlat(AdaptiveSteps.shapes(xs));
    }
}
