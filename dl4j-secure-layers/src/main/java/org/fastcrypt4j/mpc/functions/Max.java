package org.fastcrypt4j.mpc.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Maximum of k shared values per position with a secret one-hot argmax (PROTOCOLS.md 7, binary tree;
 * derived in those notes). Each tree node carries its value and the one-hot vector over its leaves;
 * for a pair (u, E_u), (v, E_v):
 * <ol>
 *   <li>d = u - v (local); b = DReLU(d) as an arithmetic 0/1 sharing ({@link Drelu}), b = 1 iff
 *       u >= v;</li>
 *   <li>one multiplication round for all of m = v + b*d, b*E_u and b*E_v; the new one-hot is
 *       (b*E_u, E_v - b*E_v). Leaves' one-hot vectors are the public 1, so the first level's one-hot is
 *       (b, 1 - b) with no product.</li>
 * </ol>
 * All comparisons of one level run as one DReLU call and all products of a level as one message.
 * Ties go to the left operand (DReLU(0) = 1), so exactly one entry of the one-hot is 1. Odd nodes pass
 * through. Rounds: ceil(log2 k) * (R_DReLU + 1) at most, 10 or 11 per level with the ABY3-style MSB
 * ({@link #expectedRounds}). Nothing opened,
 * no truncation (b and E have scale 0). Valid when every difference fits, |u - v| < 2^63 (values in
 * (-2^62, 2^62)).
 */
public final class Max {

    /** Maximum per position, and the one-hot (entry j has 1 where input j is the leftmost maximum). */
    public record Result(SharedTensor max, SharedTensor[] oneHot) {
    }

    /** Max along an axis: the max has the axis removed; the one-hot has the input's shape. */
    public record AxisResult(SharedTensor max, SharedTensor oneHot) {
    }

    private Max() {
    }

    /**
     * Rounds (message depth) for a window of k entries with the ABY3-style MSB: 11 per level, minus one
     * per level after the first, because P0 receives its product share of level j one round before the
     * others (P1 sends it right after the B2A round in which P0 is idle) and so sends its A2B input of
     * level j + 1 one round early.
     */
    public static int expectedRounds(int k) {
        int levels = levels(k);
        return levels == 0 ? 0 : levels * (Drelu.ROUNDS_ABY3 + 1) - (levels - 1);
    }

    /**
     * Causal depth of each party's output when all parties start at depth {@code t}: P1 holds the max after
     * {@link #expectedRounds} rounds, P0 and P2 one round earlier (their last product share arrives first).
     * Measured over Aeron for k = 2, 3, 4, 9, 10.
     */
    public static long[] depthAfter(int k, long t) {
        int r = expectedRounds(k);
        return r == 0 ? new long[] {t, t, t} : new long[] {t + r - 1, t + r, t + r - 1};
    }

    /** Levels of the pairwise tree: ceil(log2 k). */
    public static int levels(int k) {
        return k <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(k - 1);
    }

    /**
     * Bytes sent by {@code party} per window of k entries with the ABY3-style MSB: k - 1 DReLUs plus 8
     * bytes per product (k - 1 value products and the one-hot products of inner nodes).
     */
    public static double expectedBytesPerWindow(int k, int party, boolean argmax) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            sizes.add(1);
        }
        long comparisons = 0;
        long products = 0;
        while (sizes.size() > 1) {
            List<Integer> next = new ArrayList<>();
            for (int j = 0; j + 1 < sizes.size(); j += 2) {
                int a = sizes.get(j);
                int b = sizes.get(j + 1);
                comparisons++;
                products++;
                if (argmax) {
                    products += (a > 1 ? a : 0) + (b > 1 ? b : 0);
                }
                next.add(a + b);
            }
            if ((sizes.size() & 1) == 1) {
                next.add(sizes.get(sizes.size() - 1));
            }
            sizes = next;
        }
        return comparisons * Drelu.expectedBytesPerElement(party) + 8.0 * products;
    }

    /**
     * Max over the entries (all of the same shape) with the session's MSB protocol.
     *
     * @param argmax whether to build the one-hot (else {@link Result#oneHot()} is null)
     */
    public static Result overEntries(Session s, SharedTensor[] entries, boolean argmax) {
        return overEntries(s, entries, argmax, MsbProtocols.of(s.settings().msb()));
    }

    /** Max over the entries with the given MSB protocol. */
    public static Result overEntries(Session s, SharedTensor[] entries, boolean argmax, MsbProtocol msb) {
        if (entries.length == 0) {
            throw new IllegalArgumentException("party " + s.party() + ": max over no entries");
        }
        long[] shape = entries[0].shape();
        int m = entries[0].intLength();
        int me = s.party();
        List<Node> nodes = new ArrayList<>();
        for (int j = 0; j < entries.length; j++) {
            if (!Arrays.equals(shape, entries[j].shape())) {
                throw new IllegalArgumentException("party " + me + ": max entry " + j + " has shape "
                        + Arrays.toString(entries[j].shape()) + ", entry 0 " + Arrays.toString(shape));
            }
            Node leaf = new Node(entries[j].first().toLongArray(), entries[j].second().toLongArray());
            leaf.oneHot.add(null);
            nodes.add(leaf);
        }
        int level = 0;
        while (nodes.size() > 1) {
            int pairs = nodes.size() / 2;
            long[] d0 = new long[pairs * m];
            long[] d1 = new long[pairs * m];
            for (int j = 0; j < pairs; j++) {
                Node u = nodes.get(2 * j);
                Node v = nodes.get(2 * j + 1);
                for (int i = 0; i < m; i++) {
                    d0[j * m + i] = u.first[i] - v.first[i];
                    d1[j * m + i] = u.second[i] - v.second[i];
                }
            }
            SharedTensor b = Drelu.compute(s,
                    new SharedTensor(me, RingTensor.of(d0, pairs * m), RingTensor.of(d1, pairs * m)), msb);
            long[] b0 = b.first().toLongArray();
            long[] b1 = b.second().toLongArray();
            Products batch = new Products(s, m);
            List<Node> next = new ArrayList<>();
            List<Runnable> finish = new ArrayList<>();
            for (int j = 0; j < pairs; j++) {
                Node u = nodes.get(2 * j);
                Node v = nodes.get(2 * j + 1);
                long[] bj0 = Arrays.copyOfRange(b0, j * m, (j + 1) * m);
                long[] bj1 = Arrays.copyOfRange(b1, j * m, (j + 1) * m);
                long[] dj0 = Arrays.copyOfRange(d0, j * m, (j + 1) * m);
                long[] dj1 = Arrays.copyOfRange(d1, j * m, (j + 1) * m);
                int valueIdx = batch.add(bj0, bj1, dj0, dj1);
                Node out = new Node(null, null);
                int[] uIdx = new int[u.oneHot.size()];
                int[] vIdx = new int[v.oneHot.size()];
                if (argmax) {
                    for (int e = 0; e < uIdx.length; e++) {
                        long[][] eu = u.oneHot.get(e);
                        uIdx[e] = eu == null ? -1 : batch.add(bj0, bj1, eu[0], eu[1]);
                    }
                    for (int e = 0; e < vIdx.length; e++) {
                        long[][] ev = v.oneHot.get(e);
                        vIdx[e] = ev == null ? -1 : batch.add(bj0, bj1, ev[0], ev[1]);
                    }
                }
                next.add(out);
                finish.add(() -> {
                    long[][] bd = batch.result(valueIdx);
                    out.first = add(v.first, bd[0]);
                    out.second = add(v.second, bd[1]);
                    if (argmax) {
                        for (int e = 0; e < uIdx.length; e++) {
                            out.oneHot.add(uIdx[e] < 0 ? new long[][] {bj0, bj1} : batch.result(uIdx[e]));
                        }
                        for (int e = 0; e < vIdx.length; e++) {
                            long[][] ev = v.oneHot.get(e);
                            long[][] bev = vIdx[e] < 0 ? new long[][] {bj0, bj1} : batch.result(vIdx[e]);
                            long[][] evShares = ev == null ? publicOne(me, m) : ev;
                            out.oneHot.add(new long[][] {sub(evShares[0], bev[0]), sub(evShares[1], bev[1])});
                        }
                    }
                });
            }
            batch.run("max/level" + level);
            finish.forEach(Runnable::run);
            if ((nodes.size() & 1) == 1) {
                next.add(nodes.get(nodes.size() - 1));
            }
            nodes = next;
            level++;
        }
        Node root = nodes.get(0);
        SharedTensor max = new SharedTensor(me, RingTensor.of(root.first, shape), RingTensor.of(root.second, shape));
        if (!argmax) {
            return new Result(max, null);
        }
        SharedTensor[] oneHot = new SharedTensor[entries.length];
        for (int e = 0; e < oneHot.length; e++) {
            long[][] c = root.oneHot.get(e);
            if (c == null) {
                c = publicOne(me, m);
            }
            oneHot[e] = new SharedTensor(me, RingTensor.of(c[0], shape), RingTensor.of(c[1], shape));
        }
        return new Result(max, oneHot);
    }

    /** Max along {@code axis} of {@code x} (session's MSB protocol), with the one-hot argmax. */
    public static AxisResult alongAxis(Session s, SharedTensor x, int axis) {
        return alongAxis(s, x, axis, true);
    }

    /** Max along {@code axis}; the one-hot is null when {@code argmax} is false. */
    public static AxisResult alongAxis(Session s, SharedTensor x, int axis, boolean argmax) {
        long[] shape = x.shape();
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("party " + s.party() + ": axis " + axis + " out of range for shape "
                    + Arrays.toString(shape));
        }
        int k = (int) shape[axis];
        int outer = 1;
        int inner = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) shape[d];
        }
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        long[] a = x.first().toLongArray();
        long[] b = x.second().toLongArray();
        SharedTensor[] entries = new SharedTensor[k];
        for (int j = 0; j < k; j++) {
            long[] e0 = new long[outer * inner];
            long[] e1 = new long[outer * inner];
            for (int o = 0; o < outer; o++) {
                System.arraycopy(a, (o * k + j) * inner, e0, o * inner, inner);
                System.arraycopy(b, (o * k + j) * inner, e1, o * inner, inner);
            }
            entries[j] = new SharedTensor(s.party(), RingTensor.of(e0, outer * inner), RingTensor.of(e1, outer * inner));
        }
        Result r = overEntries(s, entries, argmax);
        long[] outShape = new long[shape.length - 1];
        for (int d = 0, o = 0; d < shape.length; d++) {
            if (d != axis) {
                outShape[o++] = shape[d];
            }
        }
        SharedTensor max = r.max().reshape(outShape);
        if (!argmax) {
            return new AxisResult(max, null);
        }
        long[] h0 = new long[a.length];
        long[] h1 = new long[a.length];
        for (int j = 0; j < k; j++) {
            long[] e0 = r.oneHot()[j].first().toLongArray();
            long[] e1 = r.oneHot()[j].second().toLongArray();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(e0, o * inner, h0, (o * k + j) * inner, inner);
                System.arraycopy(e1, o * inner, h1, (o * k + j) * inner, inner);
            }
        }
        return new AxisResult(max, new SharedTensor(s.party(), RingTensor.of(h0, shape), RingTensor.of(h1, shape)));
    }

    /** This party's components of the public constant 1 (added to component x_0). */
    static long[][] publicOne(int party, int m) {
        long[] f = new long[m];
        long[] g = new long[m];
        if (party == 0) {
            Arrays.fill(f, 1L);
        } else if (party == 2) {
            Arrays.fill(g, 1L);
        }
        return new long[][] {f, g};
    }

    private static long[] add(long[] a, long[] b) {
        long[] c = new long[a.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c;
    }

    private static long[] sub(long[] a, long[] b) {
        long[] c = new long[a.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    /** A tree node: value components and the one-hot over its leaves (null = the public 1 of a leaf). */
    private static final class Node {
        long[] first;
        long[] second;
        final List<long[][]> oneHot = new ArrayList<>();

        Node(long[] first, long[] second) {
            this.first = first;
            this.second = second;
        }
    }

    /**
     * Elementwise products of equal-length sharings resolved with one reshare message
     * (PROTOCOLS.md 2: z_i = x_i (y_i + y_{i+1}) + x_{i+1} y_i + alpha_i, sent to P_{i-1}).
     */
    static final class Products {
        private final Session s;
        private final int m;
        private final List<long[][]> operands = new ArrayList<>();
        private long[] z;
        private long[] in;

        Products(Session s, int m) {
            this.s = s;
            this.m = m;
        }

        int add(long[] x0, long[] x1, long[] y0, long[] y1) {
            operands.add(new long[][] {x0, x1, y0, y1});
            return operands.size() - 1;
        }

        void run(String tag) {
            int total = operands.size() * m;
            z = s.randomness().zeroShare(total);
            for (int p = 0; p < operands.size(); p++) {
                long[][] o = operands.get(p);
                int off = p * m;
                for (int i = 0; i < m; i++) {
                    z[off + i] += o[0][i] * (o[2][i] + o[3][i]) + o[1][i] * o[2][i];
                }
            }
            in = new long[total];
            s.transport().exchange(tag, s.prev(), z, s.next(), in);
        }

        long[][] result(int index) {
            int off = index * m;
            return new long[][] {Arrays.copyOfRange(z, off, off + m), Arrays.copyOfRange(in, off, off + m)};
        }
    }
}
