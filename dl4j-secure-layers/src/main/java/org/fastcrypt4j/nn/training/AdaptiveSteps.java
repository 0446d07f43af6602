package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.functions.InverseSqrt;
import org.fastcrypt4j.mpc.functions.Relu;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * DL4J's adaptive updaters on shares, for the parameters of one optimizer step that use them: Adam ({@code
 * AdamUpdater}), Nadam, AMSGrad, AdaMax, RmsProp and AdaGrad, with DL4J's own update rules (libnd4j's
 * {@code adam_updater}, {@code nadam_updater}, {@code ams_grad_updater}, {@code ada_max_updater}, {@code
 * rms_prop_updater}, {@code ada_grad_updater}); AMSGrad's maximum is one ReLU per parameter
 * and step (h + relu(v - h)), AdaMax's two. With g' the gradient after division by N, clipping and L1/L2 (as for the
 * other updaters) and t = iteration + 1:
 * <pre>
 *   Adam:    m &lt;- b1 m + (1 - b1) g'   v &lt;- b2 v + (1 - b2) g'^2   step = lr sqrt(1 - b2^t) / (1 - b1^t) * m / sqrt(v)
 *   Nadam:   m, v as Adam                                     step = lr / (1 - b1^t) * (b1 m + (1 - b1) g') / sqrt(v)
 *   AMSGrad: m, v as Adam, h &lt;- max(h, v)                    step = lr sqrt(1 - b2^t) / (1 - b1^t) * m / sqrt(h)
 *            (all three keep v^ = v / (1 - b2^t) instead of v, AMSGrad h^ alike: v^_t = (b2 (1 - b2^(t-1)) v^_(t-1) + (1 - b2) g'^2) / (1 - b2^t),
 *            an average of g'^2 whatever t, and fold 1 / sqrt(1 - b2^t) into the step's public factor)
 *   AdaMax:  m as Adam, u &lt;- max(b2 u, |g'|) = a + relu(-g' - a), a = b2 u + relu(g' - b2 u)
 *                                                             step = lr / (1 - b1^t) * m / u, 1/u = 1/sqrt(u^2)
 *   RmsProp: v &lt;- d v + (1 - d) g'^2 (v starts at epsilon)     step = lr * g' / (sqrt(v) + epsilon)
 *   AdaGrad: v &lt;- v + g'^2 (v starts at 1e-6, DL4J's default)  step = lr * g' / (sqrt(v) + epsilon)
 * </pre>
 * This class returns each parameter's normalised step {@code u = numerator / sqrt(v)}; the caller applies
 * {@code w <- w - scale u - wd w} with {@link #scale} (in its truncation pass of all parameters).
 *
 * <p>Fixed-point care. DL4J's default epsilon (1e-8) is far below the precision at f = 20 (about 1e-6), and the
 * second moment of small gradients underflows: v = (1 - b2) g^2 is 1e-11 after the first step of a gradient of
 * 1e-4, which rounds to 0 at f bits, and the step would blow up or freeze. So Adam and Nadam keep the bias-corrected
 * v^ (of the magnitude of g^2 from the first step on), and the state has wider fractions: m (and the
 * numerator) at {@value #M_BITS} bits (so that the rounding of a zero gradient's m, times the inverse square root's
 * ceiling, moves the parameter by less than 1e-4 of a step), g' squared from a copy at {@value #SQUARED_BITS} bits, v at
 * {@value #V_BITS} bits (1.5e-11), their decays applied with
 * {@value #DECAY_BITS}-bit constants (which keeps |v| &lt; 64 within the ring's room), and 1/sqrt(v) comes from
 * {@link InverseSqrt} over [4^{@value #LO}, 4^({@value #HI} + 1)) = [2.3e-10, 64). Below that range the inverse square
 * root stays below 6 * 2^16, which acts as an epsilon of about 2.6e-6 on sqrt(v): a parameter whose gradients stay
 * under about 1.5e-5 moves less than in DL4J. DL4J's epsilon (added to sqrt(v)), up to
 * {@value #IGNORED_EPSILON}, is negligible beside that and is not added; a larger one (RmsProp's 1e-3 in the model
 * zoo's ResNet50, Adam's 1e-2 in its FaceNet) is added, at the cost of a second inverse square root
 * ({@link #withEpsilons}), up to {@value #MAX_EPSILON}. The step's relative precision is about
 * 2^-37 / v + 1e-5 (v^ for Adam and Nadam): 7e-6 for a gradient of 1e-3, a few percent near the bottom of the range.
 * v must stay below 64 (gradients, after division by the batch size, below 8 for Adam, Nadam and RmsProp; AdaGrad's sum
 * of squares below 64: clip the gradients when they may be larger).
 *
 * <p>Steps and cost per parameter: g' (two truncation passes, 2 rounds each), g'^2 (one product, 3 rounds, 8 + 3.5 bytes),
 * m, the numerator and v (one truncation pass, 2 rounds, up to 3 values), 1/sqrt(v) ({@link InverseSqrt}: 9
 * compared values and 21 products, about 10 + 42 rounds and 9 * 39 + 21 * 10.5 bytes from P0), u (one product).
 * About 70 rounds per step whatever the network's size, and about 650 bytes per parameter from P0 (580 from the
 * others). AdaMax squares u instead of g' after two ReLU passes (about 2 * 13 rounds and 2 * 50 bytes more); its u
 * is kept at {@value #SQUARED_BITS} bits (a relative precision of 1.5e-8 / u). Nothing is opened.
 */
final class AdaptiveSteps {

    /** The adaptive updaters on shares. */
    enum Kind { ADAM, NADAM, AMSGRAD, ADAMAX, RMSPROP, ADAGRAD, ADADELTA }

    /** Fractional bits of the first moment m and the numerator. */
    static final int M_BITS = 32;

    /** Fractional bits of the copy of g' that is squared (its square must stay within the ring's room). */
    static final int SQUARED_BITS = 26;

    /** Fractional bits of the second moment v. */
    static final int V_BITS = 36;

    /** Fractional bits of the decay constants in the moments' update (v at 36 bits leaves room for 20). */
    static final int DECAY_BITS = 20;

    /** The inverse square root's range: [4^LO, 4^(HI+1)). */
    static final int LO = -16;
    static final int HI = 2;

    /** Epsilons up to this are ignored beside the floor of the inverse square root; larger ones are added. */
    static final double IGNORED_EPSILON = 1e-5;

    /**
     * The largest epsilon accepted: sqrt(v) + eps_t must stay below 8 (its square below the range's 64), and Adam's
     * eps_t is 32 eps at its first step (b2 = 0.999).
     */
    static final double MAX_EPSILON = 0.01;

    /** One parameter's state: the first moment (Adam, Nadam, AMSGrad), the second, and AMSGrad's running maximum. */
    static final class State {
        SharedTensor m;
        SharedTensor v;
        SharedTensor h;
    }

    private AdaptiveSteps() {
    }

    /** The kind of {@code u}, or null when it is not an adaptive updater this class runs. */
    static Kind kindOf(IUpdater u) {
        if (u instanceof Adam) {
            return Kind.ADAM;
        }
        if (u instanceof Nadam) {
            return Kind.NADAM;
        }
        if (u instanceof AMSGrad) {
            return Kind.AMSGRAD;
        }
        if (u instanceof AdaMax) {
            return Kind.ADAMAX;
        }
        if (u instanceof RmsProp) {
            return Kind.RMSPROP;
        }
        if (u instanceof AdaGrad) {
            return Kind.ADAGRAD;
        }
        if (u instanceof AdaDelta) {
            return Kind.ADADELTA;   // its steps are AdaDeltaSteps'
        }
        return null;
    }

    /** Why the adaptive updater {@code u} cannot run on shares, or null. */
    static String problem(IUpdater u) {
        if (u instanceof AdaDelta || u instanceof AdaMax) {
            return null;   // AdaDelta's epsilon is added exactly (AdaDeltaSteps); AdaMax's only guards a zero lr
        }
        double eps = epsilon(u);
        if (eps > MAX_EPSILON) {
            return "updater " + u.getClass().getSimpleName() + " with epsilon " + eps + " not supported (at most "
                    + MAX_EPSILON + ")";
        }
        return null;
    }

    private static double epsilon(IUpdater u) {
        return switch (kindOf(u)) {
            case ADAM -> ((Adam) u).getEpsilon();
            case NADAM -> ((Nadam) u).getEpsilon();
            case AMSGRAD -> ((AMSGrad) u).getEpsilon();
            case ADAMAX -> ((AdaMax) u).getEpsilon();
            case RMSPROP -> ((RmsProp) u).getEpsilon();
            case ADAGRAD -> ((AdaGrad) u).getEpsilon();
            case ADADELTA -> ((AdaDelta) u).getEpsilon();
        };
    }

    /** The factor of the normalised step at this iteration, for learning rate {@code lr} (DL4J's). */
    static double scale(IUpdater u, double lr, long iteration) {
        double t = iteration + 1;
        return switch (kindOf(u)) {
            // Adam and Nadam keep v^ = v / (1 - b2^t), so 1/sqrt(v) = 1/sqrt(v^) / sqrt(1 - b2^t)
            case ADAM -> lr / (1 - Math.pow(((Adam) u).getBeta1(), t));
            case AMSGRAD -> lr / (1 - Math.pow(((AMSGrad) u).getBeta1(), t));
            case ADAMAX -> lr / (1 - Math.pow(((AdaMax) u).getBeta1(), t));
            case NADAM -> lr / (1 - Math.pow(((Nadam) u).getBeta1(), t))
                    / Math.sqrt(1 - Math.pow(((Nadam) u).getBeta2(), t));
            case RMSPROP, ADAGRAD -> lr;
            case ADADELTA -> 1;
        };
    }

    /**
     * The normalised steps u (at f bits) of the adaptive parameters, updating their states: {@code gPrime} holds each
     * parameter's g' at scale f + {@link SecureOptimizer#CONSTANT_BITS} (not yet truncated), {@code updaters} their
     * configurations.
     */
    static Map<String, SharedTensor> steps(Session s, Map<String, SharedTensor> gPrime, Map<String, IUpdater> updaters,
            Map<String, State> states, long iteration) {
        double t = iteration + 1;
        int f = s.fractionalBits();
        int c = SecureOptimizer.CONSTANT_BITS;
        int d = DECAY_BITS;
        List<String> keys = new ArrayList<>(gPrime.keySet());
        int n = keys.size();
        // g' at M_BITS (for m and the numerators) and at SQUARED_BITS (for its square, or AdaMax's maximum)
        SharedTensor[] g = SecureOptimizer.truncateAll(s, values(keys, gPrime), c + f - M_BITS);
        SharedTensor[] low = SecureOptimizer.truncateAll(s, values(keys, gPrime), c + f - SQUARED_BITS);
        // their squares at V_BITS, in one product pass (AdaMax squares its u later instead)
        SharedTensor[] g2 = new SharedTensor[n];
        List<Integer> squaredAt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (kindOf(updaters.get(keys.get(i))) != Kind.ADAMAX) {
                squaredAt.add(i);
            }
        }
        List<SharedTensor> squared = squares(s, select(low, squaredAt));
        for (int j = 0; j < squaredAt.size(); j++) {
            g2[squaredAt.get(j)] = squared.get(j);
        }
        // m, the numerator and v: one truncation pass
        List<SharedTensor> combos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IUpdater u = updaters.get(keys.get(i));
            State st = states.get(keys.get(i));
            long[] shape = g[i].shape();
            Kind kind = kindOf(u);
            if (hasMoment(kind)) {
                double b1 = beta1(u);
                double b2 = beta2(u);
                SharedTensor m = st.m == null ? SharedTensor.zeros(s.party(), shape) : st.m;
                SharedTensor v = st.v == null ? SharedTensor.zeros(s.party(), shape) : st.v;
                combos.add(m.mul(constant(b1, d)).add(g[i].mul(constant(1 - b1, d))));
                if (kind == Kind.NADAM) {
                    // b1 m_new + (1 - b1) g' = b1^2 m + (1 - b1)(1 + b1) g'
                    combos.add(m.mul(constant(b1 * b1, d)).add(g[i].mul(constant((1 - b1) * (1 + b1), d))));
                }
                if (kind == Kind.ADAMAX) {
                    combos.add(v.mul(constant(b2, d)));   // b2 u at SQUARED_BITS; the maxima follow
                    continue;
                }
                // v^_t = (b2 (1 - b2^(t-1)) v^_(t-1) + (1 - b2) g'^2) / (1 - b2^t): public coefficients
                double norm = 1 - Math.pow(b2, t);
                combos.add(v.mul(constant(b2 * (1 - Math.pow(b2, t - 1)) / norm, d))
                        .add(g2[i].mul(constant((1 - b2) / norm, d))));
                if (kind == Kind.AMSGRAD) {
                    // the running maximum, bias-corrected as v^: h^_(t-1) (1 - b2^(t-1)) / (1 - b2^t) before the max
                    SharedTensor h = st.h == null ? SharedTensor.zeros(s.party(), shape) : st.h;
                    combos.add(h.mul(constant((1 - Math.pow(b2, t - 1)) / norm, d)));
                }
            } else {
                SharedTensor v = st.v == null ? SharedTensor.zeros(s.party(), shape)
                        .addPublic(constant(initialV(u), V_BITS)) : st.v;
                double decay = kind == Kind.RMSPROP ? ((RmsProp) u).getRmsDecay() : 1;
                double fresh = kind == Kind.RMSPROP ? 1 - decay : 1;
                combos.add(v.mul(constant(decay, d)).add(g2[i].mul(constant(fresh, d))));
            }
        }
        SharedTensor[] next = SecureOptimizer.truncateAll(s, combos, d);
        List<SharedTensor> numerators = new ArrayList<>();
        List<SharedTensor> vs = new ArrayList<>();
        List<Integer> maxAt = new ArrayList<>();
        List<SharedTensor> maxPrev = new ArrayList<>();
        List<Integer> infinityAt = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < n; i++) {
            State st = states.get(keys.get(i));
            Kind kind = kindOf(updaters.get(keys.get(i)));
            if (hasMoment(kind)) {
                st.m = next[k++];
                numerators.add(kind == Kind.NADAM ? next[k++] : st.m);
            } else {
                numerators.add(g[i]);
            }
            st.v = next[k++];
            vs.add(st.v);
            if (kind == Kind.AMSGRAD) {
                maxAt.add(i);
                maxPrev.add(next[k++]);
            }
            if (kind == Kind.ADAMAX) {
                infinityAt.add(i);
            }
        }
        runningMaxima(s, keys, states, vs, maxAt, maxPrev);
        infinityNorms(s, keys, states, vs, low, infinityAt);
        // 1/sqrt(v) at f (1/(sqrt(v) + eps) where DL4J's epsilon is too large to ignore), then u = numerator r at f
        SharedTensor r = InverseSqrt.inverseSqrt(s, SharedTensor.concatFlat(s.party(), vs), V_BITS, LO, HI);
        r = withEpsilons(s, keys, updaters, vs, r, t);
        SharedTensor u = Truncation.truncateProduct(s, Multiplication.localShare(s,
                SharedTensor.concatFlat(s.party(), numerators), r, Multiplication.ELEMENTWISE), M_BITS);
        SharedTensor[] us = u.splitFlat(shapes(numerators));
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(keys.get(i), us[i]);
        }
        return out;
    }

    /**
     * The parameters whose updater's epsilon is above {@link #IGNORED_EPSILON} get 1/(sqrt(v) + eps_t) in place of
     * 1/sqrt(v) in {@code r} (flat, in the order of {@code vs}): sqrt(v) = v / sqrt(v) (one product, kept at
     * {@value #SQUARED_BITS} bits), w = sqrt(v) + eps_t (local), 1/w as the inverse square root of w^2 (one product,
     * then {@link InverseSqrt} over the same range: w^2 &gt;= eps_t^2 &gt; 2.3e-10). eps_t is DL4J's epsilon as it
     * meets the bias-corrected v^ that Adam, Nadam and AMSGrad keep, eps / sqrt(1 - b2^t), and epsilon itself for
     * RmsProp and AdaGrad. Costs those parameters a second inverse square root per step (9 comparisons and 21
     * products) and two products; the others are unchanged.
     */
    private static SharedTensor withEpsilons(Session s, List<String> keys, Map<String, IUpdater> updaters,
            List<SharedTensor> vs, SharedTensor r, double t) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            IUpdater u = updaters.get(keys.get(i));
            if (kindOf(u) != Kind.ADAMAX && epsilon(u) > IGNORED_EPSILON) {
                at.add(i);
            }
        }
        if (at.isEmpty()) {
            return r;
        }
        SharedTensor[] rs = r.splitFlat(shapes(vs));
        List<SharedTensor> v = new ArrayList<>();
        List<SharedTensor> rAt = new ArrayList<>();
        for (int i : at) {
            v.add(vs.get(i));
            rAt.add(rs[i]);
        }
        int f = s.fractionalBits();
        // sqrt(v) = v r at SQUARED_BITS: v at V_BITS times r at f, truncated by V_BITS + f - SQUARED_BITS
        SharedTensor root = Truncation.truncateProduct(s, Multiplication.localShare(s,
                SharedTensor.concatFlat(s.party(), v), SharedTensor.concatFlat(s.party(), rAt),
                Multiplication.ELEMENTWISE), V_BITS + f - SQUARED_BITS);
        SharedTensor[] roots = root.splitFlat(shapes(v));
        List<SharedTensor> w = new ArrayList<>();
        for (int j = 0; j < at.size(); j++) {
            w.add(roots[j].addPublic(constant(effectiveEpsilon(updaters.get(keys.get(at.get(j))), t), SQUARED_BITS)));
        }
        List<SharedTensor> w2 = squares(s, w);
        SharedTensor inv = InverseSqrt.inverseSqrt(s, SharedTensor.concatFlat(s.party(), w2), V_BITS, LO, HI);
        SharedTensor[] invs = inv.splitFlat(shapes(v));
        for (int j = 0; j < at.size(); j++) {
            rs[at.get(j)] = invs[j];
        }
        return SharedTensor.concatFlat(s.party(), java.util.Arrays.asList(rs));
    }

    /**
     * RmsProp's and AdaGrad's v before the first step, as DL4J starts them: RmsProp at its epsilon; AdaGrad at
     * AdaGrad's default epsilon (1e-6) whatever the configured one (DL4J 1.0.0-M2.1's AdaGradUpdater fills its state
     * from its own field, which keeps the default; the configured epsilon enters the step only).
     */
    private static double initialV(IUpdater u) {
        return kindOf(u) == Kind.ADAGRAD ? AdaGrad.DEFAULT_ADAGRAD_EPSILON : epsilon(u);
    }

    /** DL4J's epsilon as it meets this class's second moment (see {@link #withEpsilons}). */
    private static double effectiveEpsilon(IUpdater u, double t) {
        return switch (kindOf(u)) {
            case ADAM -> ((Adam) u).getEpsilon() / Math.sqrt(1 - Math.pow(((Adam) u).getBeta2(), t));
            case NADAM -> ((Nadam) u).getEpsilon() / Math.sqrt(1 - Math.pow(((Nadam) u).getBeta2(), t));
            case AMSGRAD -> ((AMSGrad) u).getEpsilon() / Math.sqrt(1 - Math.pow(((AMSGrad) u).getBeta2(), t));
            default -> epsilon(u);
        };
    }

    /** x^2 at V_BITS of each x at SQUARED_BITS, in one product pass (none: no messages). */
    private static List<SharedTensor> squares(Session s, List<SharedTensor> xs) {
        if (xs.isEmpty()) {
            return List.of();
        }
        SharedTensor all = SharedTensor.concatFlat(s.party(), xs);
        SharedTensor sq = Truncation.truncateProduct(s, Multiplication.localShare(s, all, all,
                Multiplication.ELEMENTWISE), 2 * SQUARED_BITS - V_BITS);
        return List.of(sq.splitFlat(shapes(xs)));
    }

    private static List<SharedTensor> select(SharedTensor[] xs, List<Integer> at) {
        List<SharedTensor> out = new ArrayList<>();
        at.forEach(i -> out.add(xs[i]));
        return out;
    }

    /**
     * AdaMax's infinity norms u = max(b2 u_prev, |g'|) = a + relu(-g' - a), a = b2 u_prev + relu(g' - b2 u_prev) (two
     * ReLU passes over all its parameters, at SQUARED_BITS; {@code vs} holds b2 u_prev and {@code low} g' there); each
     * becomes the state and its square (at V_BITS, one product pass) replaces it in {@code vs}, so that the inverse
     * square root gives 1/u.
     */
    private static void infinityNorms(Session s, List<String> keys, Map<String, State> states, List<SharedTensor> vs,
            SharedTensor[] low, List<Integer> at) {
        if (at.isEmpty()) {
            return;
        }
        List<SharedTensor> decayed = new ArrayList<>();
        List<SharedTensor> above = new ArrayList<>();
        for (int i : at) {
            decayed.add(vs.get(i));
            above.add(low[i].sub(vs.get(i)));
        }
        List<SharedTensor> a = plus(decayed, reluAll(s, above));
        List<SharedTensor> below = new ArrayList<>();
        for (int j = 0; j < at.size(); j++) {
            below.add(low[at.get(j)].neg().sub(a.get(j)));
        }
        List<SharedTensor> norms = plus(a, reluAll(s, below));
        List<SharedTensor> sq = squares(s, norms);
        for (int j = 0; j < at.size(); j++) {
            states.get(keys.get(at.get(j))).v = norms.get(j);
            vs.set(at.get(j), sq.get(j));
        }
    }

    private static List<SharedTensor> reluAll(Session s, List<SharedTensor> xs) {
        return List.of(Relu.forward(s, SharedTensor.concatFlat(s.party(), xs)).output().splitFlat(shapes(xs)));
    }

    private static List<SharedTensor> plus(List<SharedTensor> xs, List<SharedTensor> ys) {
        List<SharedTensor> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            out.add(xs.get(i).add(ys.get(i)));
        }
        return out;
    }

    private static boolean hasMoment(Kind kind) {
        return kind == Kind.ADAM || kind == Kind.NADAM || kind == Kind.AMSGRAD || kind == Kind.ADAMAX;
    }

    private static double beta1(IUpdater u) {
        return switch (kindOf(u)) {
            case ADAM -> ((Adam) u).getBeta1();
            case NADAM -> ((Nadam) u).getBeta1();
            case AMSGRAD -> ((AMSGrad) u).getBeta1();
            case ADAMAX -> ((AdaMax) u).getBeta1();
            default -> throw new IllegalArgumentException(u.getClass().getSimpleName() + " has no first moment");
        };
    }

    private static double beta2(IUpdater u) {
        return switch (kindOf(u)) {
            case ADAM -> ((Adam) u).getBeta2();
            case NADAM -> ((Nadam) u).getBeta2();
            case AMSGRAD -> ((AMSGrad) u).getBeta2();
            case ADAMAX -> ((AdaMax) u).getBeta2();
            default -> throw new IllegalArgumentException(u.getClass().getSimpleName() + " has no second moment");
        };
    }

    /**
     * AMSGrad's running maxima h^ = max(h^_prev, v^) = h^_prev + relu(v^ - h^_prev), in one ReLU pass over all its
     * parameters; each replaces its v^ in {@code vs} (the inverse square root is taken of the maximum).
     */
    private static void runningMaxima(Session s, List<String> keys, Map<String, State> states, List<SharedTensor> vs,
            List<Integer> at, List<SharedTensor> prev) {
        if (at.isEmpty()) {
            return;
        }
        List<SharedTensor> diffs = new ArrayList<>();
        for (int j = 0; j < at.size(); j++) {
            diffs.add(vs.get(at.get(j)).sub(prev.get(j)));
        }
        SharedTensor[] relu = Relu.forward(s, SharedTensor.concatFlat(s.party(), diffs)).output()
                .splitFlat(shapes(diffs));
        for (int j = 0; j < at.size(); j++) {
            int i = at.get(j);
            SharedTensor h = prev.get(j).add(relu[j]);
            states.get(keys.get(i)).h = h;
            vs.set(i, h);
        }
    }

    private static List<SharedTensor> values(List<String> keys, Map<String, SharedTensor> m) {
        List<SharedTensor> out = new ArrayList<>();
        keys.forEach(k -> out.add(m.get(k)));
        return out;
    }

    /** The shapes of {@code xs}, in order (for {@link SharedTensor#splitFlat}). */
    static List<long[]> shapes(List<SharedTensor> xs) {
        List<long[]> out = new ArrayList<>();
        xs.forEach(x -> out.add(x.shape()));
        return out;
    }

    /** {@code v} as a public fixed-point constant with {@code bits} fractional bits. */
    static long constant(double v, int bits) {
        return Math.round(v * (double) (1L << bits));
    }
}
