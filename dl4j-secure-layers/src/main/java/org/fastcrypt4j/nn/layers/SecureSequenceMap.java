package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureSequenceMapLayer;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.ring.SpatialMaps;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureSequenceMapLayer}: zero padding, cropping or upsampling of each share component of
 * {@code [N, C, T]} along T (the 2-D maps of {@link SpatialMaps} on {@code [N, C, T, 1]}), and the adjoint map for
 * the gradient (crop, pad, sum of each repeated block). Local: no rounds, no bytes, exact.
 */
public class SecureSequenceMap extends AbstractSecureLayer<SecureSequenceMapLayer> {
    private static final long serialVersionUID = 1L;

    public SecureSequenceMap(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureSequenceMap");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        requireSequence(x);
        layerConf().outputLength(x.shape()[2]);
        return new SharedTensor(x.party(), map(x.first(), true), map(x.second(), true));
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        requireSequence(epsilon);
        if (!needInputGradient) {
            return null;
        }
        return new SharedTensor(epsilon.party(), map(epsilon.first(), false), map(epsilon.second(), false));
    }

    private void requireSequence(SharedTensor x) {
        checkInput(x, -1, -1, -1);
    }

    private RingTensor map(RingTensor t, boolean forward) {
        long[] s = t.shape();
        RingTensor image = t.reshape(s[0], s[1], s[2], 1);
        int[] a = layerConf().getAmounts();
        RingTensor out = switch (layerConf().getKind()) {
            case ZERO_PADDING -> forward ? SpatialMaps.pad(image, a[0], a[1], 0, 0) : SpatialMaps.crop(image, a[0], a[1], 0, 0);
            case CROPPING -> forward ? SpatialMaps.crop(image, a[0], a[1], 0, 0) : SpatialMaps.pad(image, a[0], a[1], 0, 0);
            case UPSAMPLING -> forward ? SpatialMaps.repeat(image, a[0], 1) : SpatialMaps.sumBlocks(image, a[0], 1);
        };
        long[] o = out.shape();
        return out.reshape(o[0], o[1], o[2]);
    }

    @Override
    public Type type() {
        return layerConf().getKind() == SecureSequenceMapLayer.Kind.UPSAMPLING ? Type.UPSAMPLING : Type.CONVOLUTIONAL;
    }
}
