package org.fastcrypt4j.examples.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;
import org.fastcrypt4j.examples.nets.Networks;

/**
 * The model zoo's graphs the benchmark runs (deeplearning4j-zoo 1.0.0-M2.1), as the zoo writes them, at the given
 * shape: ResNet50 (with Xavier initialisation, with which DL4J's own outputs of random inputs stay finite) and VGG16.
 */
final class ZooNets {
    private ZooNets() {
    }

    static ComputationGraphConfiguration configuration(String net, Networks.Shape shape) {
        int[] in = {shape.channels, shape.height, shape.width};
        return switch (net) {
            case "resnet50" -> ResNet50.builder().numClasses(shape.classes).inputShape(in)
                    .weightInit(new WeightInitXavier()).build().graphBuilder().build();
            case "zoo-vgg16" -> VGG16.builder().numClasses(shape.classes).inputShape(in).build().conf();
            default -> throw new IllegalArgumentException("unknown zoo network " + net + " (resnet50, zoo-vgg16)");
        };
    }
}
