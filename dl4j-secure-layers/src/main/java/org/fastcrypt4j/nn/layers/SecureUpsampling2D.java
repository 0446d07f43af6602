package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.nn.conf.SecureUpsampling2DLayer;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.ring.SpatialMaps;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureUpsampling2DLayer}: each share component repeated over sH x sW blocks; the gradient of each
 * input is the sum of its block. Local.
 */
public class SecureUpsampling2D extends SpatialMapLayer<SecureUpsampling2DLayer> {
    private static final long serialVersionUID = 1L;

    public SecureUpsampling2D(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureUpsampling2D");
    }

    @Override
    protected RingTensor forwardMap(RingTensor x) {
        int[] s = layerConf().getSize();
        return SpatialMaps.repeat(x, s[0], s[1]);
    }

    @Override
    protected RingTensor backwardMap(RingTensor epsilon) {
        int[] s = layerConf().getSize();
        return SpatialMaps.sumBlocks(epsilon, s[0], s[1]);
    }

    @Override
    public Type type() {
        return Type.UPSAMPLING;
    }
}
