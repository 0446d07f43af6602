package org.fastcrypt4j.nn.graph;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.network.SharePreprocessing;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's parameter-free shape and affine vertices on shares, each as DL4J defines it:
 * <ul>
 *   <li>{@link MergeVertex}: the inputs concatenated along axis 1 (features or channels); backward splits the
 *       gradient. Local.</li>
 *   <li>{@link SubsetVertex}: entries {@code from..to} (inclusive) of axis 1; backward puts the gradient there and
 *       zeros elsewhere. Local.</li>
 *   <li>{@link PreprocessorVertex}: the preprocessor's reshape; backward its adjoint. Local.</li>
 *   <li>{@link ScaleVertex}: times the public enc(s), one truncation (2 rounds); backward the same.</li>
 *   <li>{@link ShiftVertex}: plus the public enc(s) (added to one component); backward the gradient as it is.</li>
 * </ul>
 */
public final class ShapeNode extends SessionNode {
    private final GraphVertex conf;
    private long[][] lastShapes;

    public ShapeNode(String name, GraphVertex conf, Session session) {
        super(name, session);
        this.conf = conf;
    }

    @Override
    public String describe() {
        return "vertex '" + name + "' (" + conf.getClass().getSimpleName() + ")";
    }

    @Override
    public SharedTensor forward(SharedTensor[] in, boolean training) {
        lastShapes = new long[in.length][];
        for (int i = 0; i < in.length; i++) {
            lastShapes[i] = in[i].shape();
        }
        if (conf instanceof MergeVertex) {
            if (in.length == 1) {
                return in[0];
            }
            INDArray[] a = new INDArray[in.length];
            INDArray[] b = new INDArray[in.length];
            for (int i = 0; i < in.length; i++) {
                a[i] = in[i].first().array();
                b[i] = in[i].second().array();
            }
            return new SharedTensor(in[0].party(), RingTensor.wrap(Nd4j.concat(1, a)), RingTensor.wrap(Nd4j.concat(1, b)));
        }
        if (conf instanceof SubsetVertex s) {
            if (s.getTo() >= in[0].shape()[1] || s.getFrom() < 0 || s.getFrom() > s.getTo()) {
                throw new IllegalArgumentException(describe() + ": subset " + s.getFrom() + ".." + s.getTo()
                        + " of input shape " + Arrays.toString(in[0].shape()));
            }
            INDArrayIndex[] idx = range(in[0].rank(), s.getFrom(), s.getTo() + 1);
            return new SharedTensor(in[0].party(), RingTensor.wrap(in[0].first().array().get(idx).dup('c')),
                    RingTensor.wrap(in[0].second().array().get(idx).dup('c')));
        }
        if (conf instanceof PreprocessorVertex p) {
            return SharePreprocessing.forward(p.getPreProcessor(), in[0]);
        }
        if (conf instanceof ScaleVertex s) {
            return FixedPointOps.mulConstant(session, in[0], s.getScaleFactor());
        }
        if (conf instanceof ShiftVertex s) {
            return in[0].addPublic(FixedPointOps.encode(s.getShiftFactor(), session.fractionalBits()));
        }
        throw new IllegalArgumentException(describe() + ": vertex type not supported on shares");
    }

    private static INDArrayIndex[] range(int rank, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        Arrays.fill(idx, NDArrayIndex.all());
        idx[1] = NDArrayIndex.interval(from, to);
        return idx;
    }

    @Override
    public SharedTensor[] backward(SharedTensor eps, boolean[] need) {
        if (lastShapes == null) {
            throw new IllegalStateException(describe() + ": backward without a forward pass");
        }
        SharedTensor[] out = new SharedTensor[need.length];
        if (conf instanceof MergeVertex) {
            long at = 0;
            for (int i = 0; i < need.length; i++) {
                long width = lastShapes[i][1];
                if (need[i]) {
                    INDArrayIndex[] idx = range(eps.rank(), at, at + width);
                    out[i] = need.length == 1 ? eps : new SharedTensor(eps.party(),
                            RingTensor.wrap(eps.first().array().get(idx).dup('c')),
                            RingTensor.wrap(eps.second().array().get(idx).dup('c')));
                }
                at += width;
            }
        } else if (conf instanceof SubsetVertex s) {
            if (need[0]) {
                INDArrayIndex[] idx = range(eps.rank(), s.getFrom(), s.getTo() + 1);
                INDArray a = Nd4j.zeros(eps.first().array().dataType(), lastShapes[0]);
                INDArray b = Nd4j.zeros(eps.second().array().dataType(), lastShapes[0]);
                a.get(idx).assign(eps.first().array());
                b.get(idx).assign(eps.second().array());
                out[0] = new SharedTensor(eps.party(), RingTensor.wrap(a), RingTensor.wrap(b));
            }
        } else if (conf instanceof PreprocessorVertex p) {
            out[0] = need[0] ? SharePreprocessing.backward(p.getPreProcessor(), eps) : null;
        } else if (conf instanceof ScaleVertex s) {
            out[0] = need[0] ? FixedPointOps.mulConstant(session, eps, s.getScaleFactor()) : null;
        } else if (conf instanceof ShiftVertex) {
            out[0] = need[0] ? eps : null;
        }
        return out;
    }

    /** Whether a vertex configuration runs as a {@link ShapeNode}. */
    public static boolean handles(GraphVertex v) {
        return v instanceof MergeVertex || v instanceof SubsetVertex || v instanceof PreprocessorVertex
                || v instanceof ScaleVertex || v instanceof ShiftVertex;
    }
}
