package org.fastcrypt4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureBatchNormalizationLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.ring.FixedPoint;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization on shares against DL4J's {@code BatchNormalization} (double precision, same parameters and
 * running statistics, {@code useLogStd(false)} so that the parameter keys are the same): training forward, input
 * gradient, gamma and beta gradients and the running statistics' moving averages, on feed-forward and CNN input;
 * inference with the running statistics.
 *
 * <p>Tolerances (per element, |secure - plain| &lt;= tol (1 + |plain|), or per tensor where said): the output and the
 * input gradient go through 1/sqrt(var + eps) (relative error about 1e-5, {@code InverseSqrt}) and two to three
 * truncated products (2^-20 each, scaled by gamma / std and by the inputs of +-100). Measured over three runs:
 * forward 4e-5, input gradient 2e-6 (per tensor), gamma and beta gradients 2e-5, inference 2e-6; 5e-4 leaves a
 * factor of about ten. The running statistics are exact but for the constants' rounding and one truncation
 * (measured 1.5e-5 for the variance, 1e-6 for the mean; 1e-4).
 */
class SecureBatchNormalizationTest extends LayerGradientCheck {

    private static final double FORWARD_TOL = 5e-4;
    private static final double GRADIENT_TOL = 5e-4;
    private static final double STATISTICS_TOL = 1e-4;

    private static SecureBatchNormalizationLayer conf(int channels, double decay) {
        return new SecureBatchNormalizationLayer.Builder().nIn(channels).nOut(channels).decay(decay).useLogStd(false)
                .name("bn").build();
    }

    /** gamma in (0.5, 1.5), beta in (-1, 1), running mean in (-0.5, 0.5), running variance in (0.5, 2.5). */
    private Map<String, INDArray> bnParams(SplittableRandom r, int channels) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put(SecureParamInitializer.GAMMA_KEY, uniform(r, 0.5, 1, channels).addi(1));
        p.put(SecureParamInitializer.BETA_KEY, uniform(r, 1, 1, channels));
        p.put(SecureParamInitializer.MEAN_KEY, uniform(r, 0.5, 1, channels));
        p.put(SecureParamInitializer.VAR_KEY, uniform(r, 1, 1, channels).addi(1.5));
        return p;
    }

    /** Output, input gradient, gradients and the running statistics after one pass, revealed (tests may reveal). */
    private record Run(Result result, INDArray mean, INDArray var) {
    }

    private static Run secureRun(SecureBatchNormalizationLayer conf, Map<String, INDArray> params, INDArray x,
            INDArray eps, boolean training) {
        List<Run> out = ThreeParties.run(s -> {
            FixedPoint fp = FixedPoint.withFractionalBits(s.fractionalBits());
            NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().layer(conf.clone()).build();
            SecureLayer layer = (SecureLayer) nnc.getLayer().instantiate(nnc, List.of(), 0, null, false, DataType.FLOAT);
            layer.bind(s);
            params.forEach((k, v) -> layer.setParameter(k, share(s, fp, v)));
            SharedTensor y = layer.forward(share(s, fp, x), training);
            INDArray dx = null;
            Map<String, INDArray> g = new LinkedHashMap<>();
            if (training) {
                dx = fp.decode(Sharing.revealToAll(s, layer.backward(share(s, fp, eps), true)));
                for (Map.Entry<String, SharedTensor> e : layer.gradients().entrySet()) {
                    g.put(e.getKey(), fp.decode(Sharing.revealToAll(s, e.getValue())));
                }
            }
            return new Run(new Result(fp.decode(Sharing.revealToAll(s, y)), dx, g),
                    fp.decode(Sharing.revealToAll(s, layer.parameters().get(SecureParamInitializer.MEAN_KEY))),
                    fp.decode(Sharing.revealToAll(s, layer.parameters().get(SecureParamInitializer.VAR_KEY))));
        });
        return out.get(0);
    }

    private void checkTraining(int channels, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        SecureBatchNormalizationLayer conf = conf(channels, 0.9);
        Map<String, INDArray> params = bnParams(r, channels);
        INDArray x = input(r, shape);
        INDArray eps = uniform(r, 1, shape);
        Result p = plain(conf, params, x, eps);
        Run s = secureRun(conf, params, x, eps, true);
        assertClose(p.output(), s.result().output(), FORWARD_TOL, "forward " + shape.length + "d");
        assertClose(p.inputGradient(), s.result().inputGradient(), GRADIENT_TOL, true, "input gradient");
        for (String k : List.of(SecureParamInitializer.GAMMA_KEY, SecureParamInitializer.BETA_KEY)) {
            assertClose(p.paramGradients().get(k), s.result().paramGradients().get(k), GRADIENT_TOL, "gradient of " + k);
        }
        // DL4J's pseudo-gradients of the running statistics are the moving-average steps: new = old - step
        for (String k : List.of(SecureParamInitializer.MEAN_KEY, SecureParamInitializer.VAR_KEY)) {
            INDArray expected = params.get(k).sub(p.paramGradients().get(k).reshape(1, channels));
            assertClose(expected, k.equals(SecureParamInitializer.MEAN_KEY) ? s.mean() : s.var(), STATISTICS_TOL,
                    "running " + k);
        }
    }

    @Test
    void feedForwardTraining() {
        checkTraining(5, 12, 5);
    }

    @Test
    void convolutionalTraining() {
        checkTraining(3, 4, 3, 5, 5);
    }

    @Test
    void inferenceUsesTheRunningStatistics() {
        SplittableRandom r = new SplittableRandom(seed);
        for (long[] shape : new long[][] {{6, 4}, {2, 4, 3, 3}}) {
            SecureBatchNormalizationLayer conf = conf(4, 0.9);
            Map<String, INDArray> params = bnParams(r, 4);
            INDArray x = uniform(r, 3, shape);
            org.deeplearning4j.nn.conf.MultiLayerConfiguration mlc = new NeuralNetConfiguration.Builder()
                    .dataType(DataType.DOUBLE).list().layer(conf.toPlain()).validateOutputLayerConfig(false).build();
            org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(mlc);
            net.init();
            params.forEach((k, v) -> net.getLayer(0).setParam(k, v.dup()));
            INDArray expected = net.output(x.dup(), false);
            Run s = secureRun(conf, params, x, null, false);
            assertClose(expected, s.result().output(), FORWARD_TOL, "inference " + shape.length + "d");
            assertClose(params.get(SecureParamInitializer.MEAN_KEY), s.mean(), 2e-6, "running mean unchanged");
        }
    }
}
