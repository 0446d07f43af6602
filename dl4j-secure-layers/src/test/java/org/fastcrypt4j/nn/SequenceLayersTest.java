package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.conf.SecureActivationLayer;
import org.fastcrypt4j.nn.conf.SecureConvolution1DLayer;
import org.fastcrypt4j.nn.conf.SecureGlobalPoolingLayer;
import org.fastcrypt4j.nn.conf.SecureSequenceMapLayer;
import org.fastcrypt4j.nn.conf.SecureSubsampling1DLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The 1-D layers on time series [N, C, T] against DL4J's own, from the same weights: Convolution1D (kernel, stride,
 * padding, dilation, Truncate / Same / Causal, with and without bias; output, input gradient and the gradients of W
 * and b within 1e-3 of each tensor's largest entry: the roundings of one fixed-point product), Subsampling1D
 * MAX / AVG, ZeroPadding1D, Cropping1D and Upsampling1D (exact but for the input's encoding, 1e-4). Also the
 * conversion of a 1-D CNN as DL4J users write it ({@code InputType.recurrent}), its JSON/YAML round trip, the
 * refusal of NWC data by name, and the network trained beside its twin.
 */
class SequenceLayersTest extends LayerGradientCheck {

    @Test
    void convolution1dMatchesDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        List<SecureConvolution1DLayer> convs = new ArrayList<>();
        convs.add((SecureConvolution1DLayer) new SecureConvolution1DLayer.Builder(3).nIn(3).nOut(4).build());
        SecureConvolution1DLayer.Builder strided = new SecureConvolution1DLayer.Builder(3, 2, 1);
        strided.dilation(2);
        convs.add((SecureConvolution1DLayer) strided.nIn(3).nOut(2).hasBias(false).build());
        SecureConvolution1DLayer.Builder same = new SecureConvolution1DLayer.Builder(4);
        same.stride(2).convolutionMode(ConvolutionMode.Same);
        convs.add((SecureConvolution1DLayer) same.nIn(3).nOut(5).build());
        SecureConvolution1DLayer.Builder causal = new SecureConvolution1DLayer.Builder(3);
        causal.dilation(2).convolutionMode(ConvolutionMode.Causal);
        convs.add((SecureConvolution1DLayer) causal.nIn(3).nOut(3).build());
        for (int i = 0; i < convs.size(); i++) {
            SecureConvolution1DLayer conf = convs.get(i);
            INDArray x = input(r, 2, 3, 11);
            long[] out = {2, conf.getNOut(), conf.outputLength(11)};
            try {
                check(conf, params(conf, r), x, uniform(r, 1, out), 1e-3, 1e-3, true);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    @Test
    void causalOutputsSeeNoLaterStep() {
        SecureConvolution1DLayer.Builder b = new SecureConvolution1DLayer.Builder(3);
        b.convolutionMode(ConvolutionMode.Causal);
        SecureConvolution1DLayer conf = (SecureConvolution1DLayer) b.nIn(1).nOut(1).hasBias(false).build();
        assertEquals(9, conf.outputLength(9));
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1, 9);
        x.putScalar(new long[] {0, 0, 6}, 1.0);   // a change at step 6 reaches outputs 6..8 only
        INDArray w = Nd4j.ones(DataType.DOUBLE, 1, 1, 3, 1);
        INDArray y = secure(conf, Map.of("W", w), x, Nd4j.zeros(DataType.DOUBLE, 1, 1, 9)).output();
        for (int t = 0; t < 9; t++) {
            assertEquals(t >= 6 ? 1.0 : 0.0, y.getDouble(0, 0, t), 1e-5, "step " + t + ", seed " + seed);
        }
    }

    @Test
    void subsampling1dMatchesDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        List<SecureSubsampling1DLayer> pools = List.of(
                new SecureSubsampling1DLayer.Builder(PoolingType.MAX, 2, 2, 0).build(),
                new SecureSubsampling1DLayer.Builder(PoolingType.AVG, 3, 1, 0).build(),
                new SecureSubsampling1DLayer.Builder(PoolingType.MAX).kernelSize(3).stride(2)
                        .convolutionMode(ConvolutionMode.Same).build());
        for (int i = 0; i < pools.size(); i++) {
            SecureSubsampling1DLayer conf = pools.get(i);
            INDArray x = input(r, 2, 3, 9);
            long[] out = {2, 3, conf.geometry().outputHeight(9)};
            try {
                check(conf, Map.of(), x, uniform(r, 1, out), LINEAR_TOL, LINEAR_TOL, false);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    @Test
    void paddingCroppingAndUpsamplingMatchDl4j() {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] cases = {{1, 2}, {2, 1}, {3}};
        SecureSequenceMapLayer.Kind[] kinds = SecureSequenceMapLayer.Kind.values();
        for (int i = 0; i < kinds.length; i++) {
            SecureSequenceMapLayer conf = new SecureSequenceMapLayer.Builder(kinds[i], cases[i]).build();
            INDArray x = input(r, 2, 3, 6);
            long[] out = {2, 3, conf.outputLength(6)};
            check(conf, Map.of(), x, uniform(r, 1, out), LINEAR_TOL, LINEAR_TOL, false);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecureSequenceMapLayer.Builder(SecureSequenceMapLayer.Kind.UPSAMPLING, 0).name("up").build());
        assertTrue(e.getMessage().contains("'up'") && e.getMessage().contains("size"), e.getMessage());
    }

    /** A 1-D CNN as DL4J users write one: recurrent input type, fused activations, pooling, padding, causal, global. */
    private static MultiLayerConfiguration net(org.nd4j.linalg.learning.config.IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(17).updater(updater).weightInit(WeightInit.XAVIER)
                .l2(1e-4).list()
                .layer(new Convolution1DLayer.Builder(3).nOut(6).activation(Activation.RELU).name("c1").build())
                .layer(new Subsampling1DLayer.Builder(PoolingType.MAX, 2, 2, 0).name("p1").build())
                .layer(new ZeroPadding1DLayer.Builder(1, 1).build())
                .layer(new Convolution1DLayer.Builder(3).dilation(2).convolutionMode(ConvolutionMode.Causal).nOut(5)
                        .activation(Activation.TANH).name("c2").build())
                .layer(new Upsampling1D.Builder(2).build())
                .layer(new Cropping1D.Builder(1, 1).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(2, 14)).build();
    }

    @Test
    void aOneDimensionalCnnConvertsAndRoundTrips() {
        MultiLayerConfiguration secure = SecureConversion.toSecure(net(new Nesterovs(0.05, 0.9)));
        assertTrue(secure.getConf(0).getLayer() instanceof SecureConvolution1DLayer);
        assertEquals(Activation.RELU.getActivationFunction(),
                ((SecureActivationLayer) secure.getConf(2).getLayer()).getActivationFn());   // after the pooling
        assertTrue(secure.getConf(1).getLayer() instanceof SecureSubsampling1DLayer);
        SecureConvolution1DLayer c2 = (SecureConvolution1DLayer) secure.getConf(4).getLayer();
        assertEquals(ConvolutionMode.Causal, c2.getConvolutionMode());
        assertEquals(4, c2.causalPadding());
        assertTrue(secure.getConfs().stream().anyMatch(c -> c.getLayer() instanceof SecureGlobalPoolingLayer));
        assertEquals(secure, MultiLayerConfiguration.fromJson(secure.toJson()));
        assertEquals(secure, MultiLayerConfiguration.fromYaml(secure.toYaml()));
        // the twin is DL4J's own configuration again
        MultiLayerConfiguration twin = SecureConversion.toPlain(secure);
        assertTrue(twin.getConf(0).getLayer() instanceof Convolution1DLayer);
        assertEquals(RNNFormat.NCW, ((Convolution1DLayer) twin.getConf(0).getLayer()).getRnnDataFormat());
    }

    @Test
    void nwcDataIsRefusedByName() {
        MultiLayerConfiguration plain = new NeuralNetConfiguration.Builder().list()
                .layer(new Convolution1DLayer.Builder(3).nIn(2).nOut(4).rnnDataFormat(RNNFormat.NWC)
                        .activation(Activation.RELU).name("c").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(plain));
        assertTrue(e.getMessage().contains("layer 0 'c'") && e.getMessage().contains("NWC"), e.getMessage());
    }

    private static List<DataSet> sequences(SplittableRandom r, int count, int rows) {
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            INDArray x = Nd4j.create(DataType.FLOAT, rows, 2, 14);
            INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < 2; c++) {
                    for (int t = 0; t < 14; t++) {
                        x.putScalar(new int[] {i, c, t}, r.nextDouble() * 4 - 2);
                    }
                }
                y.putScalar(i, r.nextInt(3), 1);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    @Test
    void aOneDimensionalCnnTracksItsDl4jTwin() {
        List<DataSet> data = sequences(new SplittableRandom(seed), 3, 8);
        TwinTraining.assertTracks(net(new Nesterovs(0.05, 0.9)), data, 2, 1e-3, seed);
    }

    @Test
    void withAdamToo() {
        List<DataSet> data = sequences(new SplittableRandom(seed), 3, 8);
        // Adam's first steps are lr * sign(g): 99% within 1e-3, all within twice the six steps taken
        TwinTraining.assertTracks(net(new Adam(1e-3)), data, 2, 1e-3, 0.99, 12e-3, seed);
    }
}
