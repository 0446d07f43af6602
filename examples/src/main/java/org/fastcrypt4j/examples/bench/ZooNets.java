package org.fastcrypt4j.examples.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.fastcrypt4j.examples.nets.Networks;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * The model zoo's graphs the benchmark runs (deeplearning4j-zoo 1.0.0-M2.1), as the zoo writes them: ResNet50 (its
 * RmsProp with epsilon 1e-3, which the converter refuses, swapped for Nesterovs; Xavier initialisation, with which
 * DL4J's own outputs of random inputs stay finite) and VGG16, at the given shape.
 */
final class ZooNets {
    private ZooNets() {
    }

    static ComputationGraphConfiguration configuration(String net, Networks.Shape shape) {
        int[] in = {shape.channels, shape.height, shape.width};
        return switch (net) {
            case "resnet50" -> ResNet50.builder().numClasses(shape.classes).inputShape(in)
                    .weightInit(new WeightInitXavier()).updater(new Nesterovs(0.01, 0.9)).build().graphBuilder().build();
            case "zoo-vgg16" -> VGG16.builder().numClasses(shape.classes).inputShape(in).build().conf();
            default -> throw new IllegalArgumentException("unknown zoo network " + net + " (resnet50, zoo-vgg16)");
        };
    }
}
