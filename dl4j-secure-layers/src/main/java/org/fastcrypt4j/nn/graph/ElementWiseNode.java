package org.fastcrypt4j.nn.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.functions.Max;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * DL4J's {@link ElementWiseVertex} on shares, n inputs of one shape:
 * <ul>
 *   <li>Add, Subtract (two inputs): local; backward copies (and negates) the gradient.</li>
 *   <li>Average: the local sum times the public enc(1/n), one truncation (2 rounds); backward the same scaling.</li>
 *   <li>Product: n - 1 fixed-point products in sequence (3 rounds each); backward, the gradient times the product of
 *       the other inputs (prefix and suffix products, then all n products in one truncation pass).</li>
 *   <li>Max: the comparison tree of {@link Max#overEntries} (ceil(log2 n) levels) with its secret one-hot argmax;
 *       backward, the one-hot times the gradient (one round, no truncation: the one-hot has scale 0).</li>
 * </ul>
 * Nothing is opened.
 */
public final class ElementWiseNode extends SessionNode {
    private final ElementWiseVertex.Op op;
    private SharedTensor[] lastInputs;
    private SharedTensor[] lastOneHot;

    public ElementWiseNode(String name, ElementWiseVertex.Op op, Session session) {
        super(name, session);
        this.op = op;
    }

    @Override
    public String describe() {
        return "vertex '" + name + "' (ElementWise " + op + ")";
    }

    @Override
    public SharedTensor forward(SharedTensor[] in, boolean training) {
        for (int i = 1; i < in.length; i++) {
            if (!Arrays.equals(in[0].shape(), in[i].shape())) {
                throw new IllegalArgumentException(describe() + ": input " + i + " has shape "
                        + Arrays.toString(in[i].shape()) + ", input 0 " + Arrays.toString(in[0].shape()));
            }
        }
        if (op == ElementWiseVertex.Op.Subtract && in.length != 2) {
            throw new IllegalArgumentException(describe() + ": Subtract takes 2 inputs, got " + in.length);
        }
        lastInputs = training && op == ElementWiseVertex.Op.Product ? in.clone() : null;
        lastOneHot = null;
        switch (op) {
            case Add:
                return sum(in);
            case Subtract:
                return in[0].sub(in[1]);
            case Average:
                return FixedPointOps.mulConstant(session, sum(in), 1.0 / in.length);
            case Product: {
                SharedTensor p = in[0];
                for (int i = 1; i < in.length; i++) {
                    p = FixedPointOps.mul(session, p, in[i]);
                }
                return p;
            }
            case Max: {
                Max.Result r = Max.overEntries(session, in, training);
                lastOneHot = training ? r.oneHot() : null;
                return r.max();
            }
            default:
                throw new IllegalArgumentException(describe() + ": operation " + op + " not supported");
        }
    }

    private static SharedTensor sum(SharedTensor[] in) {
        SharedTensor s = in[0];
        for (int i = 1; i < in.length; i++) {
            s = s.add(in[i]);
        }
        return s;
    }

    @Override
    public SharedTensor[] backward(SharedTensor eps, boolean[] need) {
        int n = need.length;
        SharedTensor[] out = new SharedTensor[n];
        switch (op) {
            case Add -> Arrays.fill(out, eps);
            case Subtract -> {
                out[0] = eps;
                out[1] = eps.neg();
            }
            case Average -> Arrays.fill(out, FixedPointOps.mulConstant(session, eps, 1.0 / n));
            case Product -> {
                if (lastInputs == null) {
                    throw new IllegalStateException(describe() + ": backward without a training forward pass");
                }
                out = FixedPointOps.mulAll(session, repeat(eps, n), othersProducts(lastInputs));
                lastInputs = null;
            }
            case Max -> {
                if (lastOneHot == null) {
                    throw new IllegalStateException(describe() + ": backward without a training forward pass");
                }
                List<SharedTensor> oneHots = Arrays.asList(lastOneHot);
                List<long[]> shapes = new ArrayList<>();
                for (SharedTensor h : lastOneHot) {
                    shapes.add(h.shape());
                }
                SharedTensor flat = Multiplication.mul(session, SharedTensor.concatFlat(session.party(), oneHots),
                        SharedTensor.concatFlat(session.party(), Arrays.asList(repeat(eps, n))));
                out = flat.splitFlat(shapes);
                lastOneHot = null;
            }
            default -> throw new IllegalArgumentException(describe() + ": operation " + op + " not supported");
        }
        for (int i = 0; i < n; i++) {
            out[i] = need[i] ? out[i] : null;
        }
        return out;
    }

    private static SharedTensor[] repeat(SharedTensor t, int n) {
        SharedTensor[] r = new SharedTensor[n];
        Arrays.fill(r, t);
        return r;
    }

    /** For each input, the product of the others (prefix times suffix products; two inputs: each other). */
    private SharedTensor[] othersProducts(SharedTensor[] in) {
        int n = in.length;
        if (n == 2) {
            return new SharedTensor[] {in[1], in[0]};
        }
        SharedTensor[] prefix = new SharedTensor[n];
        SharedTensor[] suffix = new SharedTensor[n];
        prefix[1] = in[0];
        for (int i = 2; i < n; i++) {
            prefix[i] = FixedPointOps.mul(session, prefix[i - 1], in[i - 1]);
        }
        suffix[n - 2] = in[n - 1];
        for (int i = n - 3; i >= 0; i--) {
            suffix[i] = FixedPointOps.mul(session, suffix[i + 1], in[i + 1]);
        }
        SharedTensor[] out = new SharedTensor[n];
        out[0] = suffix[0];
        out[n - 1] = prefix[n - 1];
        for (int i = 1; i < n - 1; i++) {
            out[i] = FixedPointOps.mul(session, prefix[i], suffix[i]);
        }
        return out;
    }
}
