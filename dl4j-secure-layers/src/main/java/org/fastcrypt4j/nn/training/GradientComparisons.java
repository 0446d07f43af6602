package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.functions.Drelu;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * The comparisons of one optimizer step, in one DReLU pass over all parameters that need one: element-wise gradient
 * clipping ({@code clip(g, -T, T) = g - relu(g - T) + relu(-g - T)} with T = N t at the gradient's scale, so that the
 * clipped sum divided by N is DL4J's {@code clip(g / N, -t, t)}) and the signs of the weights for L1
 * ({@code DReLU(w) - DReLU(-w)}: 1, -1, and 0 at w = 0 as DL4J's sign, which matters for biases, initialised to
 * exactly 0). Then one multiplication of the clipping inputs by their DReLU bits (scale 0, no
 * truncation). Costs nothing when no parameter clips or has L1. Nothing is opened.
 */
final class GradientComparisons {
    private final Map<String, SharedTensor> clipped = new HashMap<>();
    private final Map<String, SharedTensor> signs = new HashMap<>();

    private GradientComparisons() {
    }

    /**
     * Runs the comparisons of the parameters {@code keys} (by their rules) at iteration {@code iteration}: gradients
     * {@code grads} summed over a batch of {@code batchSize}, weights {@code params}.
     */
    static GradientComparisons run(Session s, Iterable<String> keys, Function<String, UpdateRule> rules,
            Map<String, SharedTensor> params, Map<String, SharedTensor> grads, int batchSize, long iteration,
            int epoch) {
        GradientComparisons out = new GradientComparisons();
        List<SharedTensor> inputs = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        List<String> clipKeys = new ArrayList<>();
        List<String> signKeys = new ArrayList<>();
        int f = s.fractionalBits();
        for (String key : keys) {
            UpdateRule rule = rules.apply(key);
            if (rule.clips()) {
                SharedTensor g = grads.get(key);
                long limit = FixedPointOps.encode(rule.threshold() * batchSize, f);
                inputs.add(g.addPublic(-limit));
                inputs.add(g.neg().addPublic(-limit));
                shapes.add(g.shape());
                shapes.add(g.shape());
                clipKeys.add(key);
            }
        }
        int clipParts = inputs.size();
        for (String key : keys) {
            if (rules.apply(key).l1(iteration, epoch) != 0) {
                SharedTensor w = params.get(key);
                inputs.add(w);
                inputs.add(w.neg());
                shapes.add(w.shape());
                shapes.add(w.shape());
                signKeys.add(key);
            }
        }
        if (inputs.isEmpty()) {
            return out;
        }
        SharedTensor all = SharedTensor.concatFlat(s.party(), inputs);
        SharedTensor bits = Drelu.compute(s, all);
        SharedTensor[] d = bits.splitFlat(shapes);
        if (clipParts > 0) {
            SharedTensor x = SharedTensor.concatFlat(s.party(), inputs.subList(0, clipParts));
            SharedTensor b = SharedTensor.concatFlat(s.party(), List.of(d).subList(0, clipParts));
            SharedTensor[] relu = Multiplication.bilinear(s, "optimizer/clip", x, b, Multiplication.ELEMENTWISE)
                    .splitFlat(shapes.subList(0, clipParts));
            for (int i = 0; i < clipKeys.size(); i++) {
                String key = clipKeys.get(i);
                out.clipped.put(key, grads.get(key).sub(relu[2 * i]).add(relu[2 * i + 1]));
            }
        }
        for (int i = 0; i < signKeys.size(); i++) {
            out.signs.put(signKeys.get(i), d[clipParts + 2 * i].sub(d[clipParts + 2 * i + 1]));
        }
        return out;
    }

    /** The clipped gradient of {@code key}, or {@code g} itself when it does not clip. */
    SharedTensor clipped(String key, SharedTensor g) {
        return clipped.getOrDefault(key, g);
    }

    /** sign(w) of {@code key} (1, 0 or -1, scale 0); only for parameters with L1. */
    SharedTensor sign(String key) {
        SharedTensor sign = signs.get(key);
        if (sign == null) {
            throw new IllegalStateException("no weight signs computed for " + key);
        }
        return sign;
    }
}
