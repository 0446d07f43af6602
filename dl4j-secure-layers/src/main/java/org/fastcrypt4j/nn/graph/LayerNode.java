package org.fastcrypt4j.nn.graph;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.SharePreprocessing;

/**
 * A layer vertex: the vertex's preprocessor, then in training the layer configuration's dropout of its input (as
 * DL4J's layer vertex does), then the secure layer; backward through the same three in reverse.
 */
public final class LayerNode implements GraphNode {
    private final String name;
    private final SecureLayer layer;
    private final InputPreProcessor preprocessor;
    private final InputDropout dropout;
    private final int dropoutIndex;

    /**
     * @param dropoutIndex this layer's index in {@code dropout}'s list of layer configurations
     */
    public LayerNode(String name, SecureLayer layer, InputPreProcessor preprocessor, InputDropout dropout,
            int dropoutIndex) {
        this.name = name;
        this.layer = layer;
        this.preprocessor = preprocessor;
        this.dropout = dropout;
        this.dropoutIndex = dropoutIndex;
    }

    public SecureLayer layer() {
        return layer;
    }

    @Override
    public String name() {
        return name;
    }

    /** The layer's input as its forward pass takes it: preprocessed and, in training, dropped out. */
    public SharedTensor layerInput(SharedTensor input, boolean training) {
        return dropout.forward(dropoutIndex, SharePreprocessing.forward(preprocessor, input), training);
    }

    /** The gradient with respect to the vertex input from the gradient with respect to the layer input. */
    public SharedTensor vertexInputGradient(SharedTensor layerInputGradient) {
        return SharePreprocessing.backward(preprocessor, dropout.backward(dropoutIndex, layerInputGradient));
    }

    @Override
    public SharedTensor forward(SharedTensor[] inputs, boolean training) {
        return layer.forward(layerInput(inputs[0], training), training);
    }

    @Override
    public SharedTensor[] backward(SharedTensor epsilon, boolean[] need) {
        SharedTensor e = layer.backward(epsilon, need[0]);
        return new SharedTensor[] {need[0] ? vertexInputGradient(e) : null};
    }

    @Override
    public String describe() {
        return layer.describe();
    }
}
