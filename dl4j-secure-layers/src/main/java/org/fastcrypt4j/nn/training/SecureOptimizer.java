package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * DL4J's SGD and Nesterov-momentum updaters on shares, with the hyper-parameters of the configuration as public
 * fixed-point constants, for all parameters of a network together, in truncation passes of at most
 * {@link #MAX_PASS} values (2 rounds per pass; LeNet's parameters take one pass).
 *
 * <p>As DL4J does with {@code miniBatch(true)}, the gradient of the summed loss is divided by the batch size N
 * (folded into the learning rate). With g the gradient, lr' = lr / N and mu the momentum:
 * <ul>
 *   <li>SGD: {@code w <- w - lr' g}.</li>
 *   <li>Nesterovs (DL4J's {@code NesterovsUpdater}: {@code v <- mu v - lr' g}, {@code update = mu v_prev - (1 + mu) v},
 *       {@code w <- w - update}), expanded so that both new values come from v_prev and g in the same pass:
 *       {@code v <- mu v_prev - lr' g} and {@code w <- w + mu^2 v_prev - (1 + mu) lr' g}.</li>
 * </ul>
 * Each right-hand side is a local combination of shares with public constants encoded at {@value #CONSTANT_BITS}
 * fractional bits (a learning rate of 0.01 / 128 would keep only 82 levels at 20 bits), truncated by
 * {@value #CONSTANT_BITS} bits: the wrap-free truncation of all of them, 2 rounds per pass and 8 + 30/8 bytes per
 * value from P0, 30/8 from the others. Valid while |constant * value| &lt; 2^(62 - f - {@value #CONSTANT_BITS})
 * (4096 at f = 20). Nothing is opened.
 */
public final class SecureOptimizer {

    /** Fractional bits of the public hyper-parameter constants. */
    public static final int CONSTANT_BITS = 30;

    /** One parameter's updater settings and state. */
    private static final class Slot {
        final double learningRate;
        final double momentum;
        final boolean nesterovs;
        SharedTensor velocity;

        Slot(double learningRate, double momentum, boolean nesterovs) {
            this.learningRate = learningRate;
            this.momentum = momentum;
            this.nesterovs = nesterovs;
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

    /**
     * Registers parameter {@code key} with DL4J updater {@code updater} (Sgd or Nesterovs without schedules; the
     * converter has refused the others).
     */
    public void register(String key, IUpdater updater) {
        if (updater instanceof Sgd sgd) {
            slots.put(key, new Slot(sgd.getLearningRate(), 0, false));
        } else if (updater instanceof Nesterovs n) {
            slots.put(key, new Slot(n.getLearningRate(), n.getMomentum(), true));
        } else {
            throw new IllegalArgumentException("parameter " + key + ": updater " + updater
                    + " not supported on shares (Sgd or Nesterovs)");
        }
    }

    /** The momentum state (for checkpoints): parameter key to its velocity share, or absent before the first step. */
    public Map<String, SharedTensor> state() {
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        slots.forEach((k, v) -> {
            if (v.velocity != null) {
                out.put(k, v.velocity);
            }
        });
        return out;
    }

    /** Restores the momentum state saved by {@link #state()}. */
    public void restoreState(Map<String, SharedTensor> state) {
        state.forEach((k, v) -> {
            Slot slot = slots.get(k);
            if (slot == null) {
                throw new IllegalArgumentException("optimizer state for unknown parameter " + k);
            }
            slot.velocity = v;
        });
    }

    /**
     * One update of every registered parameter: {@code params} and {@code grads} by key (the same keys as
     * registered), gradients of the loss summed over a batch of {@code batchSize}. Returns the new parameters.
     */
    public Map<String, SharedTensor> step(Session s, Map<String, SharedTensor> params, Map<String, SharedTensor> grads,
            int batchSize) {
        int f = s.fractionalBits();
        List<SharedTensor> combos = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            String key = e.getKey();
            Slot slot = e.getValue();
            SharedTensor g = grads.get(key);
            SharedTensor w = params.get(key);
            if (g == null || w == null) {
                throw new IllegalStateException("party " + s.party() + ": no parameter or gradient for " + key);
            }
            double lr = slot.learningRate / batchSize;
            if (!slot.nesterovs) {
                combos.add(g.mul(-constant(lr)));
            } else {
                SharedTensor v = slot.velocity == null ? SharedTensor.zeros(s.party(), w.shape()) : slot.velocity;
                double mu = slot.momentum;
                combos.add(v.mul(constant(mu)).sub(g.mul(constant(lr))));
                combos.add(v.mul(constant(mu * mu)).sub(g.mul(constant((1 + mu) * lr))));
            }
            order.add(key);
        }
        SharedTensor[] t = truncateAll(s, combos, maxPass);
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        int k = 0;
        for (String key : order) {
            Slot slot = slots.get(key);
            if (slot.nesterovs) {
                slot.velocity = t[k++];
            }
            out.put(key, params.get(key).add(t[k++]));
        }
        if (f + CONSTANT_BITS > 62) {
            throw new IllegalStateException("f = " + f + " leaves no room for " + CONSTANT_BITS + "-bit constants");
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
     * Truncates every tensor by {@link #CONSTANT_BITS}, in passes of at most {@code maxPass} values: 2 rounds
     * per pass.
     */
    private static SharedTensor[] truncateAll(Session s, List<SharedTensor> xs, int maxPass) {
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
                out[first] = truncateLarge(s, xs.get(first), maxPass);
            } else {
                truncatePass(s, xs, first, last, Math.toIntExact(total), out);
            }
            first = last;
        }
        return out;
    }

    /** Tensors {@code [from, to)} of {@code xs} (of {@code total} values in all) in one truncation. */
    private static void truncatePass(Session s, List<SharedTensor> xs, int from, int to, int total, SharedTensor[] out) {
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
                RingTensor.of(b, total)), CONSTANT_BITS);
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
    private static SharedTensor truncateLarge(Session s, SharedTensor x, int maxPass) {
        int n = x.intLength();
        long[] a = x.first().toLongArray();
        long[] b = x.second().toLongArray();
        long[] ta = new long[n];
        long[] tb = new long[n];
        for (int off = 0; off < n; off += maxPass) {
            int len = Math.min(maxPass, n - off);
            SharedTensor slice = new SharedTensor(s.party(), RingTensor.copyOf(a, off, len), RingTensor.copyOf(b, off, len));
            SharedTensor tr = Truncation.truncate(s, slice, CONSTANT_BITS);
            tr.first().copyTo(ta, off);
            tr.second().copyTo(tb, off);
        }
        return new SharedTensor(s.party(), RingTensor.of(ta, x.shape()), RingTensor.of(tb, x.shape()));
    }
}
