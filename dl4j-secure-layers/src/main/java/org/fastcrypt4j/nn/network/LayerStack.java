package org.fastcrypt4j.nn.network;

import java.util.List;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;

/**
 * Forward and backward passes through a stack of secure layers, with the configuration's input preprocessors
 * between them (DL4J's CnnToFeedForward and FeedForwardToCnn only dup and reshape: bit-exact on LONG shares). The
 * last layer is the output layer; the caller runs it and the loss, this class the layers below it. During training
 * each layer's input, the output layer's included, goes through its configuration's dropout ({@link InputDropout},
 * applied after the preprocessor as DL4J does), and each input gradient back through the same mask.
 */
public final class LayerStack {
    private final List<SecureLayer> layers;
    private final InputPreProcessor[] preprocessors;
    private final PassTimer timer;
    private final InputDropout dropout;

    public LayerStack(List<SecureLayer> layers, InputPreProcessor[] preprocessors, PassTimer timer,
            InputDropout dropout) {
        this.layers = layers;
        this.preprocessors = preprocessors;
        this.timer = timer;
        this.dropout = dropout;
    }

    public SecureOutput outputLayer() {
        return (SecureOutput) layers.get(layers.size() - 1);
    }

    /** The input of the output layer: every layer but the last, preprocessors (and in training, dropout) included. */
    public SharedTensor forwardToOutput(SharedTensor features, boolean training) {
        SharedTensor a = features;
        for (int i = 0; i < layers.size() - 1; i++) {
            SecureLayer l = layers.get(i);
            SharedTensor x = dropout.forward(i, preprocess(i, a), training);
            a = timer.timed(l.describe(), "forward", () -> l.forward(x, training));
        }
        int out = layers.size() - 1;
        return dropout.forward(out, preprocess(out, a), training);
    }

    /**
     * Back-propagates {@code eps}, the gradient with respect to the output layer's input, through every layer below
     * it (each keeps its parameter gradients); the first layer computes no input gradient.
     */
    public void backwardBelowOutput(SharedTensor eps) {
        SharedTensor e = dropout.backward(layers.size() - 1, eps);
        for (int i = layers.size() - 2; i >= 0; i--) {
            SecureLayer l = layers.get(i);
            SharedTensor in = preprocessBackward(i + 1, e);
            boolean need = i > 0;
            int at = i;
            e = timer.timed(l.describe(), "backward", () -> dropout.backward(at, l.backward(in, need)));
        }
    }

    private SharedTensor preprocess(int i, SharedTensor a) {
        return SharePreprocessing.forward(preprocessors[i], a);
    }

    private SharedTensor preprocessBackward(int i, SharedTensor eps) {
        return SharePreprocessing.backward(preprocessors[i], eps);
    }
}
