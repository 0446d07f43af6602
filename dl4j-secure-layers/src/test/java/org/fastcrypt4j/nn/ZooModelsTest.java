package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * DL4J's model zoo (deeplearning4j-zoo 1.0.0-M2.1) as users take it: VGG16, VGG19, ResNet50 (with its RmsProp,
 * epsilon 1e-3), SqueezeNet, Xception and Darknet19
 * (their softmax ActivationLayer and LossLayer as one secure loss layer) convert, and DL4J accepts each twin; private
 * inference of VGG16, VGG19 and SqueezeNet (32x32 inputs) and ResNet50 (160x160, the smallest input its 3x3 average pooling fits on shares) on one random input, from DL4J's own initialisation, predicts
 * DL4J's class (or one DL4J scores within the outputs' difference of it) with outputs within 1e-2 of DL4J's plus 1e-2
 * of the largest (the roundings of some fifty chained fixed-point products). Darknet19's private inference is not compared: DL4J's own output of its initialisation is
 * uniform (every class 0.1), so there is no class to agree on.
 */
class ZooModelsTest {
    private final long seed = System.nanoTime();

    @Test
    void theZoosGraphsConvert() {
        List<ComputationGraphConfiguration> confs = List.of(
                VGG16.builder().numClasses(10).build().conf(),
                VGG19.builder().numClasses(10).build().conf(),
                ResNet50.builder().numClasses(10).build().graphBuilder().build(),   // its RmsProp, epsilon 1e-3
                SqueezeNet.builder().numClasses(10).build().init().getConfiguration(),
                Xception.builder().numClasses(10).build().init().getConfiguration(),
                Darknet19.builder().numClasses(10).build().conf());
        for (ComputationGraphConfiguration c : confs) {
            ComputationGraphConfiguration secure = SecureConversion.toSecure(c);
            SecureConversion.validate(secure);
            ComputationGraph twin = new ComputationGraph(SecureConversion.toPlain(secure));
            twin.init();
            ComputationGraph original = new ComputationGraph(c);
            original.init();
            assertEquals(original.numParams(), twin.numParams());
        }
    }

    private void assertPrivateInferenceAgrees(ComputationGraph g, INDArray x, String model) {
        INDArray want = g.outputSingle(x).castTo(DataType.DOUBLE);
        ComputationGraphConfiguration secure = SecureConversion.toSecure(g.getConfiguration());
        List<INDArray> got = ThreeParties.run(s -> {
            SecureComputationGraph net = new SecureComputationGraph(secure, s);
            net.importModel(0, s.party() == 0 ? g : null);
            return net.output(net.shareInput(1, s.party() == 1 ? x : null), 2);
        });
        INDArray p = got.get(2).castTo(DataType.DOUBLE);
        double diff = p.sub(want).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-2 * (1 + want.amaxNumber().doubleValue()), model + ": outputs differ by " + diff
                + " (DL4J " + want + ", private " + p + "), seed " + seed);
        // the private class is DL4J's, unless DL4J's top two are closer than the outputs' difference (a random
        // input may leave them within 1e-3)
        int cls = p.argMax(1).getInt(0);
        double top = want.maxNumber().doubleValue();
        assertTrue(want.getDouble(0, cls) >= top - 2 * diff, model + ": predicted class " + cls + " (DL4J "
                + want.argMax(1).getInt(0) + "; DL4J " + want + ", private " + p + "), seed " + seed);
    }

    /**
     * The VGGs' own initialisation leaves the logits of a random input within 1e-4 of each other (every class about
     * 0.1): their output layer's weights are scaled up so that DL4J's prediction is a clear class to agree on.
     */
    private static ComputationGraph sharpened(ComputationGraph g) {
        org.deeplearning4j.nn.api.Layer out = g.getOutputLayer(0);
        out.setParam("W", out.getParam("W").mul(1000));
        return g;
    }

    private INDArray image(int channels, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, 1, channels, size, size);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, r.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void vgg16PrivateInferenceAgreesWithDl4j() {
        ComputationGraph g = VGG16.builder().numClasses(10).inputShape(new int[] {3, 32, 32}).build().init();
        assertPrivateInferenceAgrees(sharpened(g), image(3, 32), "VGG16");
    }

    @Test
    void vgg19AndSqueezeNetPrivateInferenceAgreesWithDl4j() {
        assertPrivateInferenceAgrees(sharpened(VGG19.builder().numClasses(10).inputShape(new int[] {3, 32, 32}).build()
                .init()), image(3, 32), "VGG19");
        assertPrivateInferenceAgrees(SqueezeNet.builder().numClasses(10).inputShape(new int[] {3, 32, 32}).build()
                .init(), image(3, 32), "SqueezeNet");
    }

    @Test
    void resnet50PrivateInferenceAgreesWithDl4j() {
        // Xavier: with the zoo's default initialisation DL4J's own output of a random input is NaN (activations grow
        // past float's range through the blocks); Xavier keeps them below 3
        ComputationGraph g = ResNet50.builder().numClasses(10).inputShape(new int[] {3, 160, 160})
                .weightInit(new WeightInitXavier()).updater(new Nesterovs(1e-3, 0.9)).build().init();
        assertPrivateInferenceAgrees(g, image(3, 160), "ResNet50");
    }
}
