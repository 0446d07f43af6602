package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolutionLayer;
import org.fastcrypt4j.nn.conf.SecureDenseLayer;
import org.fastcrypt4j.nn.conf.SecureLayerConf;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.nn.conf.SecureSubsamplingLayer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The oracle of every secure layer's gradient check: the layer's forward pass and backward pass (input gradient,
 * weight and bias gradients) on shares against the plain DL4J layer it names ({@link SecureLayerConf#toPlain()})
 * with the same weights and inputs, computed by DL4J in double precision. Inputs hold negative and large-magnitude
 * values (a few entries of +-100). Failures print the run's seed.
 *
 * <p>Tolerance: |secure - plain| &lt;= tol * (1 + |plain|) per element, or tol * (1 + max |plain|) over each tensor.
 */
abstract class LayerGradientCheck {
    /** Tolerance of the layers that are exact but for the fixed-point encoding (linear layers, ReLU, pooling). */
    protected static final double LINEAR_TOL = 1e-4;

    /** This run's seed, printed by every failure. */
    protected final long seed = System.nanoTime();

    /** Values in (-3, 3), with every 17th entry at +-100. */
    protected INDArray input(SplittableRandom r, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        long n = a.length();
        for (long i = 0; i < n; i++) {
            double v = (r.nextDouble() * 2 - 1) * 3;
            if (i % 17 == 3) {
                v = r.nextBoolean() ? 100 : -100;
            }
            a.putScalar(i, v);
        }
        return a;
    }

    protected INDArray uniform(SplittableRandom r, double scale, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, (r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** What the plain layer computes: output, input gradient, parameter gradients. */
    record Result(INDArray output, INDArray inputGradient, Map<String, INDArray> paramGradients) {
    }

    private static MultiLayerNetwork plainNet(org.deeplearning4j.nn.conf.layers.Layer plain) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(1)
                .list().layer(plain).validateOutputLayerConfig(false).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    protected static Result plain(SecureLayerConf conf, Map<String, INDArray> params, INDArray x, INDArray epsOrLabels) {
        MultiLayerNetwork net = plainNet(conf.toPlain());
        Layer l = net.getLayer(0);
        params.forEach((k, v) -> l.setParam(k, v.dup().reshape(l.getParam(k).shape())));   // DL4J's own layout
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        l.setInput(x.dup(), mgr);
        INDArray out = l.activate(true, mgr).dup();
        Pair<Gradient, INDArray> g;
        if (l instanceof IOutputLayer o) {
            o.setLabels(epsOrLabels.dup());
            g = l.backpropGradient(null, mgr);
            INDArray z = x.mmul(params.get(SecureParamInitializer.WEIGHT_KEY));
            INDArray b = params.get(SecureParamInitializer.BIAS_KEY);
            out = b == null ? z : z.addRowVector(b);   // the logits the secure forward returns
        } else {
            g = l.backpropGradient(epsOrLabels.dup(), mgr);
        }
        Map<String, INDArray> pg = new LinkedHashMap<>();
        for (String k : params.keySet()) {
            pg.put(k, g.getFirst().getGradientFor(k).dup());
        }
        return new Result(out, g.getSecond() == null ? null : g.getSecond().dup(), pg);
    }

    /** The same on shares, revealed to all for the comparison (tests may reveal; protocol code may not). */
    protected static Result secure(SecureLayerConf conf, Map<String, INDArray> params, INDArray x, INDArray epsOrLabels) {
        List<Result> out = ThreeParties.run(s -> {
            FixedPoint fp = FixedPoint.withFractionalBits(s.fractionalBits());
            NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder()
                    .layer((org.deeplearning4j.nn.conf.layers.Layer) conf).build();
            SecureLayer layer = (SecureLayer) nnc.getLayer().instantiate(nnc, List.of(), 0, null, false, DataType.FLOAT);
            layer.bind(s);
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                layer.setParameter(e.getKey(), share(s, fp, e.getValue()));
            }
            SharedTensor sx = share(s, fp, x);
            SharedTensor y = layer.forward(sx, true);
            SharedTensor eps = layer instanceof SecureOutput o ? o.lossGradient(y, share(s, fp, epsOrLabels))
                    : share(s, fp, epsOrLabels);
            SharedTensor dx = layer.backward(eps, true);
            Map<String, INDArray> g = new LinkedHashMap<>();
            for (Map.Entry<String, SharedTensor> e : layer.gradients().entrySet()) {
                g.put(e.getKey(), fp.decode(Sharing.revealToAll(s, e.getValue())));
            }
            return new Result(fp.decode(Sharing.revealToAll(s, y)), dx == null ? null
                    : fp.decode(Sharing.revealToAll(s, dx)), g);
        });
        return out.get(0);
    }

    protected static SharedTensor share(Session s, FixedPoint fp, INDArray v) {
        RingTensor r = s.party() == 0 ? fp.encode(v) : null;
        return Sharing.input(s, 0, r, v.shape());
    }

    protected void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertClose(expected, actual, tol, false, what);
    }

    /** {@code perTensor}: the error is scaled by the tensor's largest magnitude, not each element's. */
    protected void assertClose(INDArray expected, INDArray actual, double tol, boolean perTensor, String what) {
        if (expected.length() == actual.length() && expected.rank() != actual.rank()) {
            expected = expected.reshape(actual.shape());   // DL4J gives bias gradients as [nOut], the parameter is [1, nOut]
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape, seed " + seed);
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double worst = 0;
        int at = -1;
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]) / (1 + (perTensor ? scale : Math.abs(e[i])));
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        assertTrue(worst <= tol, what + ": relative error " + worst + " at " + at + " (plain " + (at < 0 ? 0 : e[at])
                + ", secure " + (at < 0 ? 0 : a[at]) + ") exceeds " + tol + ", seed " + seed);
    }

    protected void check(SecureLayerConf conf, Map<String, INDArray> params, INDArray x, INDArray eps, double tol) {
        check(conf, params, x, eps, tol, false);
    }

    protected void check(SecureLayerConf conf, Map<String, INDArray> params, INDArray x, INDArray eps, double tol,
            boolean gradientsPerTensor) {
        check(conf, params, x, eps, LINEAR_TOL, tol, gradientsPerTensor);
    }

    /**
     * Forward output within {@code forwardTol}, input and parameter gradients within {@code tol} (per element, or
     * scaled by each tensor's largest magnitude when {@code gradientsPerTensor}).
     */
    protected void check(SecureLayerConf conf, Map<String, INDArray> params, INDArray x, INDArray eps, double forwardTol,
            double tol, boolean gradientsPerTensor) {
        Result p = plain(conf, params, x, eps);
        Result s = secure(conf, params, x, eps);
        String name = conf.getClass().getSimpleName();
        assertClose(p.output(), s.output(), forwardTol, name + " forward");
        assertClose(p.inputGradient(), s.inputGradient(), tol, gradientsPerTensor, name + " input gradient");
        for (String k : params.keySet()) {
            assertClose(p.paramGradients().get(k), s.paramGradients().get(k), tol, gradientsPerTensor,
                    name + " gradient of " + k);
        }
    }

    /** Uniform parameters of the layer's shapes: weights in (-0.5, 0.5), biases in (-2, 2). */
    protected Map<String, INDArray> params(SecureLayerConf conf, SplittableRandom r) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : SecureParamInitializer.shareShapes((org.deeplearning4j.nn.conf.layers.Layer) conf)
                .entrySet()) {
            out.put(e.getKey(), uniform(r, e.getKey().equals(SecureParamInitializer.BIAS_KEY) ? 2 : 0.5, e.getValue()));
        }
        return out;
    }
}
