package org.fastcrypt4j.nn.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.arithmetic.BilinearOp;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureConvolutionLayer}: {@code z = conv(x, W) + b} on NCHW shares with the ring kernels'
 * exact convolutions (im2col and the ring matmul).
 * <ul>
 *   <li>Forward: one fixed-point convolution (3 rounds and 8 + f/8 bytes per output element per party with the
 *       default truncation); the per-channel bias is added locally.</li>
 *   <li>Backward, for {@code dZ [N, nOut, OH, OW]}: the weight gradient and the input gradient (a transposed
 *       convolution) as two products truncated in one pass; {@code db} is the local sum of dZ over N, OH, OW.</li>
 * </ul>
 * Nothing is opened.
 */
public class SecureConvolution extends AbstractSecureLayer<SecureConvolutionLayer> {
    private static final long serialVersionUID = 1L;

    private transient SharedTensor lastInput;

    public SecureConvolution(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureConvolution");
    }

    protected SecureConvolution(NeuralNetConfiguration conf, DataType dataType, String typeName) {
        super(conf, dataType, typeName);
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        SecureConvolutionLayer c = layerConf();
        checkInput(x, -1, c.getNIn(), -1, -1);
        Session s = session();
        ConvGeometry g = c.geometry();
        g.outputHeight((int) x.shape()[2]);
        g.outputWidth((int) x.shape()[3]);
        lastInput = training ? x : null;
        SharedTensor z = FixedPointOps.conv2d(s, x, kernels(), g);
        return c.hasBias() ? z.addPerChannel(param(SecureParamInitializer.BIAS_KEY).reshape(c.getNOut())) : z;
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureConvolutionLayer c = layerConf();
        if (lastInput == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        long[] in = lastInput.shape();
        ConvGeometry g = c.geometry();
        checkInput(epsilon, in[0], c.getNOut(), g.outputHeight((int) in[2]), g.outputWidth((int) in[3]));
        Session s = session();
        SharedTensor w = kernels();
        SharedTensor[] d;
        if (needInputGradient) {
            d = FixedPointOps.bilinearAll(s, new SharedTensor[] {lastInput, epsilon}, new SharedTensor[] {epsilon, w},
                    new BilinearOp[] {FixedPointOps.conv2dBackwardWeightsOp(g), FixedPointOps.conv2dBackwardInputOp(in, g)});
        } else {
            d = new SharedTensor[] {FixedPointOps.conv2dBackwardWeights(s, lastInput, epsilon, g), null};
        }
        grads.put(SecureParamInitializer.WEIGHT_KEY, weightGradient(d[0]));
        if (c.hasBias()) {
            grads.put(SecureParamInitializer.BIAS_KEY, epsilon.sum(0, 2, 3).reshape(1, c.getNOut()));
        }
        return d[1];
    }

    /** The kernels as the convolution takes them, {@code [nOut, nIn, kH, kW]}: the weight parameter as it is. */
    protected SharedTensor kernels() {
        return param(SecureParamInitializer.WEIGHT_KEY);
    }

    /** The gradient of {@link #kernels()} in the weight parameter's layout: as it is. */
    protected SharedTensor weightGradient(SharedTensor kernelGradient) {
        return kernelGradient;
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }
}
