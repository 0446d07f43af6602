package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.functions.Drelu;
import org.fastcrypt4j.mpc.functions.InverseSqrt;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * DL4J's L2-norm gradient normalizations on shares ({@code BaseMultiLayerUpdater.preApply}), on h = g / N (the
 * gradient after division by the batch size), per layer (all its parameters together) or per parameter:
 * <ul>
 *   <li>{@code RenormalizeL2PerLayer}, {@code RenormalizeL2PerParamType}: h &lt;- h / ||h||;</li>
 *   <li>{@code ClipL2PerLayer}, {@code ClipL2PerParamType} with threshold t: h &lt;- h * t / ||h|| when ||h|| &gt; t.</li>
 * </ul>
 * Returned as gradients g' with g' / N the normalised h, so the optimizer's later steps are unchanged.
 *
 * <p>Steps: h = g / N at f bits (one truncation pass); per group, the sum of h^2 from the local products summed
 * before one truncation to {@value #SUM_BITS} bits (exact but for that rounding); r = 1/||h|| for all groups by
 * {@link InverseSqrt} over [4^{@value #LO}, 4^({@value #HI} + 1)) (a norm below 3e-5 is treated as about 1e-5, as
 * DL4J replaces a zero norm by 1e-5); clipping: d = DReLU(r - 1/t) (no clip where ||h|| &lt;= t) and the factor
 * 1 + (1 - d)(t r - 1); then g' = g * factor, one product pass over all values. Costs two truncation passes and one
 * product pass over the gradients, and a few dozen comparisons and products per group: about 50 rounds. Nothing is
 * opened; the norms stay shared.
 */
final class L2Normalization {

    /** Fractional bits of the sums of squares. */
    static final int SUM_BITS = 30;

    /** The inverse square root's range for the sums of squares: [4^LO, 4^(HI+1)) = [1e-9, 1e9). */
    static final int LO = -15;
    static final int HI = 14;

    /** Fractional bits of a clipping threshold t (t r stays within the truncation's room for r up to 2^22 / t). */
    static final int THRESHOLD_BITS = 20;

    private L2Normalization() {
    }

    /** Whether {@code g} is one of the L2-norm modes. */
    static boolean isL2(GradientNormalization g) {
        return g == GradientNormalization.RenormalizeL2PerLayer || g == GradientNormalization.RenormalizeL2PerParamType
                || g == GradientNormalization.ClipL2PerLayer || g == GradientNormalization.ClipL2PerParamType;
    }

    private static boolean perLayer(GradientNormalization g) {
        return g == GradientNormalization.RenormalizeL2PerLayer || g == GradientNormalization.ClipL2PerLayer;
    }

    private static boolean clips(GradientNormalization g) {
        return g == GradientNormalization.ClipL2PerLayer || g == GradientNormalization.ClipL2PerParamType;
    }

    /**
     * The gradients with the L2 normalizations of their rules applied ({@code grads} itself when none has one):
     * parameters named {@code <layer>_<key>} ({@link ParameterSet}), gradients summed over a batch, divided by
     * {@code divisor} (the batch size, or 1 without miniBatch) as DL4J divides them before normalizing.
     */
    static Map<String, SharedTensor> apply(Session s, Map<String, SharedTensor> grads, Iterable<String> keys,
            Function<String, UpdateRule> rules, int divisor) {
        // the groups, in order: a layer's parameters, or one parameter
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, UpdateRule> groupRule = new LinkedHashMap<>();
        for (String key : keys) {
            UpdateRule rule = rules.apply(key);
            if (!isL2(rule.normalization())) {
                continue;
            }
            String group = perLayer(rule.normalization()) ? key.substring(0, Math.max(0, key.lastIndexOf('_'))) : key;
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(key);
            groupRule.putIfAbsent(group, rule);
        }
        if (groups.isEmpty()) {
            return grads;
        }
        int f = s.fractionalBits();
        List<String> order = new ArrayList<>();
        groups.values().forEach(order::addAll);
        // h = g / N at f bits
        List<SharedTensor> scaled = new ArrayList<>();
        long inverse = Math.round((1.0 / divisor) * (1L << SecureOptimizer.CONSTANT_BITS));
        order.forEach(k -> scaled.add(grads.get(k).mul(inverse)));
        SharedTensor[] h = SecureOptimizer.truncateAll(s, scaled, SecureOptimizer.CONSTANT_BITS);
        // the sums of squares, one per group, from the local products before one truncation
        long[] z = new long[groups.size()];
        int at = 0;
        int g = 0;
        for (List<String> members : groups.values()) {
            long sum = 0;
            for (int i = 0; i < members.size(); i++, at++) {
                SharedTensor flat = h[at].reshape(h[at].length());
                sum += Multiplication.localShare(s, flat.reshape(1, flat.length()), flat.reshape(flat.length(), 1),
                        Multiplication.MATMUL).toLongArray()[0];
            }
            z[g++] = sum;
        }
        SharedTensor sums = Truncation.truncateProduct(s, RingTensor.of(z, z.length), 2 * f - SUM_BITS);
        SharedTensor r = InverseSqrt.inverseSqrt(s, sums, SUM_BITS, LO, HI);   // 1 / ||h|| at f bits
        SharedTensor factor = factors(s, r, new ArrayList<>(groupRule.values()));
        // g' = g * factor (each group's factor broadcast over its values)
        long[] fa = factor.first().toLongArray();
        long[] fb = factor.second().toLongArray();
        List<SharedTensor> xs = new ArrayList<>();
        List<SharedTensor> ys = new ArrayList<>();
        g = 0;
        for (List<String> members : groups.values()) {
            for (String k : members) {
                SharedTensor grad = grads.get(k);
                xs.add(grad);
                ys.add(new SharedTensor(s.party(), RingTensor.filled(fa[g], grad.shape()),
                        RingTensor.filled(fb[g], grad.shape())));
            }
            g++;
        }
        SharedTensor[] normalized = FixedPointOps.mulAll(s, xs.toArray(new SharedTensor[0]), ys.toArray(new SharedTensor[0]));
        Map<String, SharedTensor> out = new LinkedHashMap<>(grads);
        for (int i = 0; i < order.size(); i++) {
            out.put(order.get(i), normalized[i]);
        }
        return out;
    }

    /**
     * Each group's factor from r = 1/||h||: r for the renormalizations; for the clippings 1 where ||h|| &lt;= t, else
     * t r, as 1 + (1 - d)(t r - 1) with d = DReLU(r - 1/t).
     */
    private static SharedTensor factors(Session s, SharedTensor r, List<UpdateRule> rules) {
        int f = s.fractionalBits();
        int n = rules.size();
        long[] inverseT = new long[n];
        long[] t = new long[n];
        long[] clip = new long[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (clips(rules.get(i).normalization())) {
                double threshold = rules.get(i).threshold();
                inverseT[i] = FixedPointOps.encode(1 / threshold, f);
                t[i] = Math.round(threshold * (1L << THRESHOLD_BITS));
                clip[i] = 1;
                any = true;
            }
        }
        if (!any) {
            return r;
        }
        SharedTensor d = Drelu.compute(s, r.addPublic(RingTensor.of(negate(inverseT), n)));
        SharedTensor tr = Truncation.truncate(s, r.mulPublic(RingTensor.of(t, n)), THRESHOLD_BITS);
        SharedTensor trMinusOne = tr.addPublic(-(1L << f));
        // (1 - d)(t r - 1): the product of a 0/1 sharing (scale 0) with a fixed-point one needs no truncation
        SharedTensor notD = d.neg().addPublic(1);
        SharedTensor clipped = Multiplication.bilinear(s, "l2norm/clip", notD, trMinusOne, Multiplication.ELEMENTWISE)
                .addPublic(1L << f);
        // renormalizing groups keep r, clipping groups take the clipped factor: a public selection, local
        RingTensor keepR = RingTensor.of(complement(clip), n);
        RingTensor takeClip = RingTensor.of(clip, n);
        return r.mulPublic(keepR).add(clipped.mulPublic(takeClip));
    }

    private static long[] negate(long[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    private static long[] complement(long[] bits) {
        long[] out = new long[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = 1 - bits[i];
        }
        return out;
    }
}
