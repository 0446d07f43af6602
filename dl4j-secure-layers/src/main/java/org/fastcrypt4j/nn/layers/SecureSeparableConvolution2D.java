package org.fastcrypt4j.nn.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.arithmetic.BilinearOp;
import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.nn.conf.SecureSeparableConvolution2DLayer;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runtime of {@link SecureSeparableConvolution2DLayer} on NCHW shares, with the ring kernels' exact convolutions.
 * <ul>
 *   <li>Forward: the depthwise convolution as one convolution per input channel ([N, 1, H, W] with its
 *       [depthMultiplier, 1, kH, kW] kernels), all truncated in one pass (3 rounds), their outputs joined in DL4J's
 *       channel order (c * depthMultiplier + m); then the pointwise 1x1 convolution (3 rounds) and the bias (local).
 *       8 + f/8 bytes per product output element per party at each stage.</li>
 *   <li>Backward: the pointwise weight and input gradients in one pass, then the depthwise kernels' and the input's
 *       gradients of every channel in one pass (3 rounds each); db is the local sum of dZ.</li>
 * </ul>
 * Nothing is opened.
 */
public class SecureSeparableConvolution2D extends AbstractSecureLayer<SecureSeparableConvolution2DLayer> {
    private static final long serialVersionUID = 1L;

    private static final ConvGeometry POINTWISE = ConvGeometry.kernel(1);

    private transient SharedTensor[] lastChannels;
    private transient SharedTensor lastDepthwise;
    private transient long[] lastInputShape;

    public SecureSeparableConvolution2D(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, "SecureSeparableConvolution2D");
    }

    @Override
    public SharedTensor forward(SharedTensor x, boolean training) {
        SecureSeparableConvolution2DLayer c = layerConf();
        checkInput(x, -1, c.getNIn(), -1, -1);
        Session s = session();
        ConvGeometry g = c.geometry();
        g.outputHeight((int) x.shape()[2]);
        g.outputWidth((int) x.shape()[3]);
        int channels = (int) c.getNIn();
        SharedTensor[] xs = split(x, channels);
        SharedTensor[] ws = kernels(param(SecureParamInitializer.WEIGHT_KEY), channels);
        BilinearOp[] ops = new BilinearOp[channels];
        for (int i = 0; i < channels; i++) {
            xs[i] = xs[i].reshape(withChannels(xs[i].shape(), 1));
            ops[i] = FixedPointOps.conv2dOp(g);
        }
        SharedTensor depthwise = join(FixedPointOps.bilinearAll(s, xs, ws, ops));
        lastChannels = training ? xs : null;
        lastDepthwise = training ? depthwise : null;
        lastInputShape = x.shape();
        SharedTensor z = FixedPointOps.conv2d(s, depthwise, param(SecureSeparableConvolution2DLayer.POINTWISE_KEY),
                POINTWISE);
        return c.hasBias() ? z.addPerChannel(param(SecureParamInitializer.BIAS_KEY).reshape(c.getNOut())) : z;
    }

    @Override
    public SharedTensor backward(SharedTensor epsilon, boolean needInputGradient) {
        SecureSeparableConvolution2DLayer c = layerConf();
        if (lastDepthwise == null) {
            throw new IllegalStateException(describe() + ": backward without a training forward pass");
        }
        long[] mid = lastDepthwise.shape();
        checkInput(epsilon, mid[0], c.getNOut(), mid[2], mid[3]);
        Session s = session();
        int channels = (int) c.getNIn();
        ConvGeometry g = c.geometry();
        g.outputHeight((int) lastInputShape[2]);
        g.outputWidth((int) lastInputShape[3]);
        SharedTensor pw = param(SecureSeparableConvolution2DLayer.POINTWISE_KEY);
        SharedTensor[] p = FixedPointOps.bilinearAll(s, new SharedTensor[] {lastDepthwise, epsilon},
                new SharedTensor[] {epsilon, pw}, new BilinearOp[] {FixedPointOps.conv2dBackwardWeightsOp(POINTWISE),
                    FixedPointOps.conv2dBackwardInputOp(mid, POINTWISE)});
        grads.put(SecureSeparableConvolution2DLayer.POINTWISE_KEY, p[0]);
        if (c.hasBias()) {
            grads.put(SecureParamInitializer.BIAS_KEY, epsilon.sum(0, 2, 3).reshape(1, c.getNOut()));
        }
        SharedTensor[] dDepth = split(p[1], channels);   // [N, depthMultiplier, OH, OW] per input channel
        SharedTensor[] ws = kernels(param(SecureParamInitializer.WEIGHT_KEY), channels);
        int terms = needInputGradient ? 2 * channels : channels;
        SharedTensor[] xs = new SharedTensor[terms];
        SharedTensor[] ys = new SharedTensor[terms];
        BilinearOp[] ops = new BilinearOp[terms];
        long[] channelShape = withChannels(lastInputShape, 1);
        for (int i = 0; i < channels; i++) {
            xs[i] = lastChannels[i];
            ys[i] = dDepth[i];
            ops[i] = FixedPointOps.conv2dBackwardWeightsOp(g);
            if (needInputGradient) {
                xs[channels + i] = dDepth[i];
                ys[channels + i] = ws[i];
                ops[channels + i] = FixedPointOps.conv2dBackwardInputOp(channelShape, g);
            }
        }
        SharedTensor[] d = FixedPointOps.bilinearAll(s, xs, ys, ops);
        List<SharedTensor> dw = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            dw.add(d[i]);   // [depthMultiplier, 1, kH, kW]
        }
        long[] wShape = SecureParamInitializer.shareShapes(c).get(SecureParamInitializer.WEIGHT_KEY);
        grads.put(SecureParamInitializer.WEIGHT_KEY, SharedTensor.concatFlat(s.party(), dw)
                .reshape(wShape[1], wShape[0], wShape[2], wShape[3]).permute(1, 0, 2, 3));
        if (!needInputGradient) {
            return null;
        }
        SharedTensor[] dx = new SharedTensor[channels];
        System.arraycopy(d, channels, dx, 0, channels);
        return join(dx);
    }

    /** [N, C * k, H, W] into C tensors [N, k, H, W]: the groups of k consecutive channels, in order. */
    static SharedTensor[] split(SharedTensor x, int groups) {
        long[] sh = x.shape();
        long k = sh[1] / groups;
        SharedTensor byGroup = x.reshape(sh[0], groups, k, sh[2], sh[3]).permute(1, 0, 2, 3, 4);
        return byGroup.reshape(byGroup.length()).splitFlat(Collections.nCopies(groups,
                new long[] {sh[0], k, sh[2], sh[3]}));
    }

    /** The inverse of {@link #split}: C tensors [N, k, H, W] into [N, C * k, H, W]. */
    static SharedTensor join(SharedTensor[] parts) {
        long[] sh = parts[0].shape();
        int groups = parts.length;
        SharedTensor all = SharedTensor.concatFlat(parts[0].party(), List.of(parts))
                .reshape(groups, sh[0], sh[1], sh[2], sh[3]).permute(1, 0, 2, 3, 4);
        return all.reshape(sh[0], groups * sh[1], sh[2], sh[3]);
    }

    /** W [depthMultiplier, C, kH, kW] into C kernels [depthMultiplier, 1, kH, kW]. */
    private static SharedTensor[] kernels(SharedTensor w, int channels) {
        long[] sh = w.shape();
        SharedTensor byChannel = w.permute(1, 0, 2, 3);
        return byChannel.reshape(byChannel.length()).splitFlat(Collections.nCopies(channels,
                new long[] {sh[0], 1, sh[2], sh[3]}));
    }

    private static long[] withChannels(long[] shape, long channels) {
        return new long[] {shape[0], channels, shape[2], shape[3]};
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }
}
