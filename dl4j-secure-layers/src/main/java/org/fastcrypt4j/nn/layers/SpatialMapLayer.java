package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A layer whose forward pass is a public index map of NCHW input and whose backward pass is the adjoint map
 * ({@link org.fastcrypt4j.ring.SpatialMaps}): applied to both components of the replicated sharing, so exact, with no
 * rounds, no bytes sent and no truncation. Nothing is kept between the passes: the maps depend on public shapes only.
 */
abstract class SpatialMapLayer<C extends org.deeplearning4j.nn.conf.layers.Layer> extends AbstractSecureLayer<C> {
    private static final long serialVersionUID = 1L;

    protected SpatialMapLayer(NeuralNetConfiguration conf, DataType dataType, String typeName) {
        super(conf, dataType, typeName);
    }

    /** The forward map of one share component [N, C, H, W]. */
    protected abstract RingTensor forwardMap(RingTensor x);

    /** The adjoint of {@link #forwardMap}, for the gradient. */
    protected abstract RingTensor backwardMap(RingTensor epsilon);

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        checkInput(x, -1, -1, -1, -1);
        try {
            return new SharedTensor(x.party(), forwardMap(x.first()), forwardMap(x.second()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        checkInput(epsilon, -1, -1, -1, -1);
        if (!needInputGradient) {
            return null;
        }
        try {
            return new SharedTensor(epsilon.party(), backwardMap(epsilon.first()), backwardMap(epsilon.second()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + ": " + e.getMessage(), e);
        }
    }
}
