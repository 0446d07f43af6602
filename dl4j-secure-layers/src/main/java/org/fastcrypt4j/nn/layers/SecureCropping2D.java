package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.nn.conf.SecureCropping2DLayer;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.ring.SpatialMaps;
import org.nd4j.linalg.api.buffer.DataType;

/** Runtime of {@link SecureCropping2DLayer}: each share component cropped; the gradient is padded with zeros. Local. */
public class SecureCropping2D extends SpatialMapLayer<SecureCropping2DLayer> {
    private static final long serialVersionUID = 1L;

    public SecureCropping2D(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureCropping2D");
    }

    @Override
    protected RingTensor forwardMap(RingTensor x) {
        int[] c = layerConf().getCropping();
        return SpatialMaps.crop(x, c[0], c[1], c[2], c[3]);
    }

    @Override
    protected RingTensor backwardMap(RingTensor epsilon) {
        int[] c = layerConf().getCropping();
        return SpatialMaps.pad(epsilon, c[0], c[1], c[2], c[3]);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }
}
