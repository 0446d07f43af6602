package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.nn.conf.SecureZeroPaddingLayer;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.ring.SpatialMaps;
import org.nd4j.linalg.api.buffer.DataType;

/** Runtime of {@link SecureZeroPaddingLayer}: zeros around each share component; the gradient is cropped back. Local. */
public class SecureZeroPadding extends SpatialMapLayer<SecureZeroPaddingLayer> {
    private static final long serialVersionUID = 1L;

    public SecureZeroPadding(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureZeroPadding");
    }

    @Override
    protected RingTensor forwardMap(RingTensor x) {
        int[] p = layerConf().getPadding();
        return SpatialMaps.pad(x, p[0], p[1], p[2], p[3]);
    }

    @Override
    protected RingTensor backwardMap(RingTensor epsilon) {
        int[] p = layerConf().getPadding();
        return SpatialMaps.crop(epsilon, p[0], p[1], p[2], p[3]);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }
}
