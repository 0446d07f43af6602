package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * DL4J's SGD and Nesterov-momentum updaters on shares, with regularization (L1, L2, weight decay) and element-wise
 * gradient clipping, for all parameters of a network together. Hyper-parameters are public fixed-point constants,
 * read from the configuration at each step (learning-rate and momentum schedules, coefficient schedules: public
 * functions of the iteration and epoch, as DL4J evaluates them).
 *
 * <p>DL4J's order ({@code BaseMultiLayerUpdater.update}, {@code UpdaterBlock.update}), with g the gradient of the
 * loss summed over a batch of N, lr and mu the learning rate and momentum at this iteration and epoch:
 * <ol>
 *   <li>divide by the batch size: g / N (folded into the constants below);</li>
 *   <li>gradient normalization: {@code ClipElementWiseAbsoluteValue} with threshold t: clip(g / N, -t, t), computed
 *       as {@code c = g - relu(g - Nt) + relu(-g - Nt)} (then divided by N with the rest); the L2-norm modes per
 *       layer or per parameter by {@link L2Normalization};</li>
 *   <li>before the updater, L1 and L2: {@code g' = c / N + l1 sign(w) + l2 w};</li>
 *   <li>the updater: SGD {@code update = lr g'}; Nesterovs ({@code NesterovsUpdater}: v &lt;- mu v - lr g',
 *       {@code update = mu v_prev - (1 + mu) v}), expanded so that both new values come from v_prev and g' in the same
 *       pass: {@code v <- mu v_prev - lr g'} and {@code update = -mu^2 v_prev + (1 + mu) lr g'};</li>
 *   <li>after the updater, weight decay: {@code update += wd w}, with wd = coeff (times lr when applyLR);</li>
 *   <li>{@code w <- w - update}.</li>
 * </ol>
 * Each new value is a local linear combination of shares (w, v_prev, c, sign(w)) with public constants encoded at
 * {@value #CONSTANT_BITS} fractional bits (a learning rate of 0.01 / 128 would keep only 82 levels at 20 bits),
 * truncated by {@value #CONSTANT_BITS} bits in one pass: the wrap-free truncation, 2 rounds per pass and
 * 8 + 30/8 bytes per value from P0, 30/8 from the others. Valid while |constant * value| &lt; 2^(62 - f -
 * {@value #CONSTANT_BITS}) (4096 at f = 20).
 *
 * <p>Comparisons, only when a parameter clips or has L1 ({@link GradientComparisons}): one DReLU pass over the
 * concatenation of {@code g - Nt}, {@code -g - Nt} (clipping parameters) and {@code w}, {@code -w} (L1 parameters:
 * sign(w) = DReLU(w) - DReLU(-w), 0 at w = 0 as in DL4J), then one multiplication of the clipping part by its DReLU
 * bits (no truncation: the bits are at scale 0). With the ABY3-style MSB: 10 + 1 rounds, about 39 / 31 / 31 bytes
 * per compared value (2 compared values per clipped or L1 parameter, 8 more bytes per clipped value for the product).
 * Nothing is opened.
 */
public final class SecureOptimizer {

    /** Fractional bits of the public hyper-parameter constants. */
    public static final int CONSTANT_BITS = 30;

    /** State keys of the adaptive updaters' moments: the parameter's key with these suffixes. */
    private static final String MOMENT_M = "#m";
    private static final String MOMENT_V = "#v";
    private static final String MOMENT_H = "#h";
    private static final String DELTA_MSG = "#msg";
    private static final String DELTA_MSDX = "#msdx";

    /** One parameter's update rule and state. */
    private static final class Slot {
        final UpdateRule rule;
        SharedTensor velocity;
        final AdaptiveSteps.State moments = new AdaptiveSteps.State();
        final AdaDeltaSteps.State delta = new AdaDeltaSteps.State();

        Slot(UpdateRule rule) {
            this.rule = rule;
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final int maxPass;

    public SecureOptimizer() {
        this(MAX_PASS);
    }

    /** With passes of at most {@code maxPass} values (tests use small passes). */
    SecureOptimizer(int maxPass) {
        if (maxPass < 1) {
            throw new IllegalArgumentException("pass size " + maxPass);
        }
        this.maxPass = maxPass;
    }

    /** Registers parameter {@code key} with DL4J updater {@code updater} alone (no regularization or clipping). */
    public void register(String key, IUpdater updater) {
        register(key, UpdateRule.of(updater));
    }

    /**
     * Registers parameter {@code key} with its update rule.
     *
     * @throws IllegalArgumentException naming the parameter when the rule cannot run on shares
     */
    public void register(String key, UpdateRule rule) {
        String problem = rule.problem();
        if (problem != null) {
            throw new IllegalArgumentException("parameter " + key + ": " + problem);
        }
        slots.put(key, new Slot(rule));
    }

    /** The momentum state (for checkpoints): parameter key to its velocity share, or absent before the first step. */
    public Map<String, SharedTensor> state() {
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        slots.forEach((k, v) -> {
            if (v.velocity != null) {
                out.put(k, v.velocity);
            }
            if (v.moments.m != null) {
                out.put(k + MOMENT_M, v.moments.m);
            }
            if (v.moments.v != null) {
                out.put(k + MOMENT_V, v.moments.v);
            }
            if (v.moments.h != null) {
                out.put(k + MOMENT_H, v.moments.h);
            }
            if (v.delta.msg != null) {
                out.put(k + DELTA_MSG, v.delta.msg);
                out.put(k + DELTA_MSDX, v.delta.msdx);
            }
        });
        return out;
    }

    /** Restores the momentum state saved by {@link #state()}. */
    public void restoreState(Map<String, SharedTensor> state) {
        state.forEach((k, v) -> {
            int hash = k.lastIndexOf('#');
            String key = hash < 0 ? k : k.substring(0, hash);
            Slot slot = slots.get(key);
            if (slot == null) {
                throw new IllegalArgumentException("optimizer state for unknown parameter " + k);
            }
            if (k.endsWith(DELTA_MSG)) {
                slot.delta.msg = v;
            } else if (k.endsWith(DELTA_MSDX)) {
                slot.delta.msdx = v;
            } else if (k.endsWith(MOMENT_H)) {
                slot.moments.h = v;
            } else if (k.endsWith(MOMENT_M)) {
                slot.moments.m = v;
            } else if (k.endsWith(MOMENT_V)) {
                slot.moments.v = v;
            } else {
                slot.velocity = v;
            }
        });
    }

    /** As {@link #step(Session, Map, Map, int, long, int)} at iteration 0 of epoch 0 (no schedules in effect). */
    public Map<String, SharedTensor> step(Session s, Map<String, SharedTensor> params, Map<String, SharedTensor> grads,
            int batchSize) {
        return step(s, params, grads, batchSize, 0, 0);
    }

    /**
     * One update of every registered parameter: {@code params} and {@code grads} by key (the same keys as
     * registered), gradients of the loss summed over a batch of {@code batchSize}, at DL4J's {@code iteration}
     * (updates done before this one) and {@code epoch}. Returns the new parameters.
     */
    public Map<String, SharedTensor> step(Session s, Map<String, SharedTensor> params, Map<String, SharedTensor> grads,
            int batchSize, long iteration, int epoch) {
        int f = s.fractionalBits();
        if (f + CONSTANT_BITS > 62) {
            throw new IllegalStateException("f = " + f + " leaves no room for " + CONSTANT_BITS + "-bit constants");
        }
        for (String key : slots.keySet()) {
            if (grads.get(key) == null || params.get(key) == null) {
                throw new IllegalStateException("party " + s.party() + ": no parameter or gradient for " + key);
            }
        }
        grads = L2Normalization.apply(s, grads, slots.keySet(), k -> slots.get(k).rule, batchSize);
        GradientComparisons cmp = GradientComparisons.run(s, slots.keySet(), k -> slots.get(k).rule, params, grads,
                batchSize, iteration, epoch);
        Map<String, SharedTensor> adaptiveSteps = adaptiveSteps(s, cmp, params, grads, batchSize, iteration, epoch);
        List<SharedTensor> combos = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            String key = e.getKey();
            Slot slot = e.getValue();
            UpdateRule rule = slot.rule;
            SharedTensor g = cmp.clipped(key, grads.get(key));
            SharedTensor w = params.get(key);
            double lr = rule.learningRate(iteration, epoch);
            double l1 = rule.l1(iteration, epoch);
            double l2 = rule.l2(iteration, epoch);
            double wd = rule.weightDecay(iteration, epoch, lr);
            SharedTensor signAtF = l1 == 0 ? null : cmp.sign(key).mul(1L << f);
            // lr * g' = (lr / N) g + lr l2 w + lr l1 sign(w), at scale f + CONSTANT_BITS
            SharedTensor lrG = scaled(g, w, signAtF, lr, l1, l2, batchSize, 1);
            SharedTensor decay = wd == 0 ? null : w.mul(constant(wd));
            if (rule.adaptive()) {
                // - scale u, u = numerator / sqrt(v) at scale f
                SharedTensor delta = adaptiveSteps.get(key).mul(-constant(AdaptiveSteps.scale(rule.updater(), lr,
                        iteration)));
                combos.add(decay == null ? delta : delta.sub(decay));
            } else if (!rule.nesterovs()) {
                SharedTensor delta = lrG.neg();
                combos.add(decay == null ? delta : delta.sub(decay));
            } else {
                double mu = rule.momentum(iteration, epoch);
                SharedTensor v = slot.velocity == null ? SharedTensor.zeros(s.party(), w.shape()) : slot.velocity;
                combos.add(v.mul(constant(mu)).sub(lrG));
                // the step, - update = mu^2 v_prev - (1 + mu) lr g' (- wd w); (1 + mu) lr g' from the same constants
                SharedTensor step = v.mul(constant(mu * mu)).sub(scaled(g, w, signAtF, lr, l1, l2, batchSize, 1 + mu));
                combos.add(decay == null ? step : step.sub(decay));
            }
        }
        SharedTensor[] t = truncateAll(s, combos, CONSTANT_BITS, maxPass);
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            if (e.getValue().rule.nesterovs()) {
                e.getValue().velocity = t[k++];
            }
            out.put(e.getKey(), params.get(e.getKey()).add(t[k++]));
        }
        return out;
    }

    /** The normalised steps of the parameters with adaptive updaters (none: empty, no messages). */
    private Map<String, SharedTensor> adaptiveSteps(Session s, GradientComparisons cmp, Map<String, SharedTensor> params,
            Map<String, SharedTensor> grads, int batchSize, long iteration, int epoch) {
        Map<String, SharedTensor> gPrime = new LinkedHashMap<>();
        Map<String, IUpdater> configs = new LinkedHashMap<>();
        Map<String, AdaptiveSteps.State> states = new LinkedHashMap<>();
        Map<String, SharedTensor> deltaGPrime = new LinkedHashMap<>();
        Map<String, AdaDelta> deltaConfigs = new LinkedHashMap<>();
        Map<String, AdaDeltaSteps.State> deltaStates = new LinkedHashMap<>();
        int f = s.fractionalBits();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            UpdateRule rule = e.getValue().rule;
            if (!rule.adaptive()) {
                continue;
            }
            String key = e.getKey();
            double l1 = rule.l1(iteration, epoch);
            SharedTensor signAtF = l1 == 0 ? null : cmp.sign(key).mul(1L << f);
            SharedTensor g = scaled(cmp.clipped(key, grads.get(key)), params.get(key), signAtF, 1, l1,
                    rule.l2(iteration, epoch), batchSize, 1);
            if (rule.updater() instanceof AdaDelta ad) {
                deltaGPrime.put(key, g);
                deltaConfigs.put(key, ad);
                deltaStates.put(key, e.getValue().delta);
            } else {
                gPrime.put(key, g);
                configs.put(key, rule.updater());
                states.put(key, e.getValue().moments);
            }
        }
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        if (!gPrime.isEmpty()) {
            out.putAll(AdaptiveSteps.steps(s, gPrime, configs, states, iteration));
        }
        if (!deltaGPrime.isEmpty()) {
            out.putAll(AdaDeltaSteps.steps(s, deltaGPrime, deltaConfigs, deltaStates));
        }
        return out;
    }

    /** {@code factor * lr * g'} at scale f + CONSTANT_BITS, each constant rounded once. */
    private static SharedTensor scaled(SharedTensor g, SharedTensor w, SharedTensor signAtF, double lr, double l1,
            double l2, int batchSize, double factor) {
        SharedTensor out = g.mul(constant(factor * lr / batchSize));
        if (l2 != 0) {
            out = out.add(w.mul(constant(factor * lr * l2)));
        }
        if (l1 != 0) {
            out = out.add(signAtF.mul(constant(factor * lr * l1)));
        }
        return out;
    }

    private static long constant(double c) {
        return Math.round(c * (double) (1L << CONSTANT_BITS));
    }

    /**
     * Most values truncated in one pass. A pass holds about ten arrays of its length per party (the truncation's
     * masks and messages), so VGG16's 30 million updated values (weights and velocities) in one pass would need
     * about 2.4 GB of heap per party; passes of at most 2^21 values keep it near 170 MB. LeNet's 862,000 values
     * take one pass (2 rounds); VGG16's 15 passes (30 rounds).
     */
    static final int MAX_PASS = 1 << 21;

    /**
     * Truncates every tensor by {@code shift} bits, in passes of at most {@link #MAX_PASS} values: 2 rounds per
     * pass.
     */
    static SharedTensor[] truncateAll(Session s, List<SharedTensor> xs, int shift) {
        return truncateAll(s, xs, shift, MAX_PASS);
    }

    /** As {@link #truncateAll(Session, List, int)} in passes of at most {@code maxPass} values. */
    private static SharedTensor[] truncateAll(Session s, List<SharedTensor> xs, int shift, int maxPass) {
        SharedTensor[] out = new SharedTensor[xs.size()];
        int first = 0;
        while (first < xs.size()) {
            long total = 0;
            int last = first;
            // the tensors of this pass: at least one, then as many as fit; a tensor larger than a pass is split
            while (last < xs.size() && (last == first || total + xs.get(last).length() <= maxPass)) {
                total += xs.get(last).length();
                last++;
            }
            if (last == first + 1 && total > maxPass) {
                out[first] = truncateLarge(s, xs.get(first), shift, maxPass);
            } else {
                truncatePass(s, xs, first, last, Math.toIntExact(total), shift, out);
            }
            first = last;
        }
        return out;
    }

    /** Tensors {@code [from, to)} of {@code xs} (of {@code total} values in all) in one truncation. */
    private static void truncatePass(Session s, List<SharedTensor> xs, int from, int to, int total, int shift,
            SharedTensor[] out) {
        long[] a = new long[total];
        long[] b = new long[total];
        int off = 0;
        for (int i = from; i < to; i++) {
            SharedTensor x = xs.get(i);
            x.first().copyTo(a, off);
            x.second().copyTo(b, off);
            off += x.intLength();
        }
        SharedTensor tr = Truncation.truncate(s, new SharedTensor(s.party(), RingTensor.of(a, total),
                RingTensor.of(b, total)), shift);
        long[] ta = tr.first().toLongArray();
        long[] tb = tr.second().toLongArray();
        off = 0;
        for (int i = from; i < to; i++) {
            long[] shape = xs.get(i).shape();
            out[i] = new SharedTensor(s.party(), RingTensor.copyOf(ta, off, shape), RingTensor.copyOf(tb, off, shape));
            off += xs.get(i).intLength();
        }
    }

    /** One tensor of more than {@code maxPass} values, truncated in passes over consecutive slices. */
    private static SharedTensor truncateLarge(Session s, SharedTensor x, int shift, int maxPass) {
        int n = x.intLength();
        long[] a = x.first().toLongArray();
        long[] b = x.second().toLongArray();
        long[] ta = new long[n];
        long[] tb = new long[n];
        for (int off = 0; off < n; off += maxPass) {
            int len = Math.min(maxPass, n - off);
            SharedTensor slice = new SharedTensor(s.party(), RingTensor.copyOf(a, off, len), RingTensor.copyOf(b, off, len));
            SharedTensor tr = Truncation.truncate(s, slice, shift);
            tr.first().copyTo(ta, off);
            tr.second().copyTo(tb, off);
        }
        return new SharedTensor(s.party(), RingTensor.of(ta, x.shape()), RingTensor.of(tb, x.shape()));
    }
}
