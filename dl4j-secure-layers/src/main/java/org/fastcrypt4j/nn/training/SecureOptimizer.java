package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.Session;
import org.fastcrypt4j.mpc.SharedTensor;
import org.fastcrypt4j.mpc.Truncation;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * DL4J's SGD and Nesterov-momentum updaters on shares, with the hyper-parameters of the configuration as public
 * fixed-point constants, for all parameters of a network in one truncation pass (2 rounds per step, whatever the
 * number of parameters).
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
 * {@value #CONSTANT_BITS} bits: the wrap-free truncation of all of them at once, 2 rounds and 8 + 30/8 bytes per
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
        SharedTensor[] t = truncateAll(s, combos);
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

    /** Truncates every tensor by {@link #CONSTANT_BITS} in one pass. */
    private static SharedTensor[] truncateAll(Session s, List<SharedTensor> xs) {
        long total = 0;
        for (SharedTensor x : xs) {
            total += x.length();
        }
        long[] a = new long[Math.toIntExact(total)];
        long[] b = new long[a.length];
        int off = 0;
        for (SharedTensor x : xs) {
            x.first().copyTo(a, off);
            x.second().copyTo(b, off);
            off += x.intLength();
        }
        SharedTensor all = new SharedTensor(s.party(), RingTensor.of(a, a.length), RingTensor.of(b, b.length));
        SharedTensor tr = Truncation.truncate(s, all, CONSTANT_BITS);
        long[] ta = tr.first().toLongArray();
        long[] tb = tr.second().toLongArray();
        SharedTensor[] out = new SharedTensor[xs.size()];
        off = 0;
        for (int i = 0; i < out.length; i++) {
            long[] shape = xs.get(i).shape();
            out[i] = new SharedTensor(s.party(), RingTensor.copyOf(ta, off, shape), RingTensor.copyOf(tb, off, shape));
            off += xs.get(i).intLength();
        }
        return out;
    }
}
