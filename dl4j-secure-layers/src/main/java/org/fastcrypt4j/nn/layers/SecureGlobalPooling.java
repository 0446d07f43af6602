package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Multiplication;
import org.fastcrypt4j.mpc.functions.Max;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureGlobalPoolingLayer;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureGlobalPoolingLayer}: [N, C, H, W] to [N, C] (or [N, C, 1, 1]), k = H * W entries per output;
 * a time series [N, C, T] to [N, C] (or [N, C, 1]), k = T.
 * <ul>
 *   <li>SUM: local sums; backward copies each gradient to its k inputs (local).</li>
 *   <li>AVG: local sums times the public enc(1/k), one truncation (wrap-free: 2 rounds, 8 + f/8 / f/8 / f/8 bytes per
 *       output for P0 / P1 / P2); backward scales the [N, C] gradient the same way, then copies it (local).</li>
 *   <li>MAX: {@link Max#alongAxis} over the k entries (a tree of ceil(log2 k) secure comparison levels with a secret
 *       one-hot argmax, kept for the backward pass); backward multiplies the one-hot by the copied gradient (1 round,
 *       8 bytes per input element per party, no truncation: the one-hot has scale 0).</li>
 * </ul>
 * Nothing is opened. Masks are refused (DL4J's masked global pooling is not supported).
 */
public class SecureGlobalPooling extends AbstractSecureLayer<SecureGlobalPoolingLayer> {
    private static final long serialVersionUID = 1L;

    private transient long[] lastInputShape;
    private transient SharedTensor lastOneHot;

    public SecureGlobalPooling(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureGlobalPooling");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        if (x != null && x.rank() == 3) {
            checkInput(x, -1, -1, -1);   // a time series [N, C, T]: pooled over T
        } else {
            checkInput(x, -1, -1, -1, -1);
        }
        refuseMask();
        long[] s = x.shape();
        long k = s.length == 3 ? s[2] : s[2] * s[3];
        SharedTensor flat = x.reshape(s[0], s[1], k);
        SharedTensor pooled;
        PoolingType type = layerConf().getPoolingType();
        lastOneHot = null;
        if (type == PoolingType.MAX) {
            Max.AxisResult r = Max.alongAxis(session(), flat, 2, training);
            lastOneHot = training ? r.oneHot() : null;
            pooled = r.max();
        } else if (type == PoolingType.AVG) {
            pooled = FixedPointOps.mulConstant(session(), flat.sum(2), 1.0 / k);
        } else {
            pooled = flat.sum(2);
        }
        lastInputShape = training ? s.clone() : null;
        if (layerConf().isCollapseDimensions()) {
            return pooled;
        }
        return s.length == 3 ? pooled.reshape(s[0], s[1], 1) : pooled.reshape(s[0], s[1], 1, 1);
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        if (lastInputShape == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        long[] s = lastInputShape;
        boolean collapse = layerConf().isCollapseDimensions();
        boolean series = s.length == 3;
        if (series && (!collapse || epsilon != null && epsilon.rank() == 3)) {
            checkInput(epsilon, s[0], s[1], 1);   // collapsed too: DL4J's RnnToFeedForward preprocessor gives [N, C, 1]
        } else if (collapse) {
            checkInput(epsilon, s[0], s[1]);
        } else {
            checkInput(epsilon, s[0], s[1], 1, 1);
        }
        if (!needInputGradient) {
            return null;
        }
        long k = s.length == 3 ? s[2] : s[2] * s[3];
        SharedTensor e = epsilon.reshape(s[0], s[1]);
        PoolingType type = layerConf().getPoolingType();
        if (type == PoolingType.AVG) {
            e = FixedPointOps.mulConstant(session(), e, 1.0 / k);
        }
        SharedTensor spread = spread(e, (int) k);
        if (type == PoolingType.MAX) {
            spread = Multiplication.mul(session(), lastOneHot, spread);
        }
        return spread.reshape(s);
    }

    /** [N, C] to [N, C, k], each value copied k times (local). */
    private static SharedTensor spread(SharedTensor e, int k) {
        long[] shape = e.shape();
        return new SharedTensor(e.party(), spread(e.first(), k, shape), spread(e.second(), k, shape));
    }

    private static RingTensor spread(RingTensor t, int k, long[] shape) {
        long[] v = t.toLongArray();
        long[] out = new long[v.length * k];
        for (int i = 0; i < v.length; i++) {
            java.util.Arrays.fill(out, i * k, (i + 1) * k, v[i]);
        }
        return RingTensor.of(out, shape[0], shape[1], k);
    }

    private void refuseMask() {
        if (maskArray != null) {
            throw new UnsupportedOperationException(describe() + ": masked global pooling is not supported on shares");
        }
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
    }
}
