package org.fastcrypt4j.nn.network;

import java.util.List;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Forward and backward passes through a stack of secure layers, with the configuration's input preprocessors
 * between them (DL4J's CnnToFeedForward and FeedForwardToCnn only dup and reshape: bit-exact on LONG shares). The
 * last layer is the output layer; the caller runs it and the loss, this class the layers below it.
 */
public final class LayerStack {
    private final List<SecureLayer> layers;
    private final InputPreProcessor[] preprocessors;
    private final PassTimer timer;

    public LayerStack(List<SecureLayer> layers, InputPreProcessor[] preprocessors, PassTimer timer) {
        this.layers = layers;
        this.preprocessors = preprocessors;
        this.timer = timer;
    }

    public SecureOutput outputLayer() {
        return (SecureOutput) layers.get(layers.size() - 1);
    }

    /** The input of the output layer: every layer but the last, preprocessors included. */
    public SharedTensor forwardToOutput(SharedTensor features, boolean training) {
        SharedTensor a = features;
        for (int i = 0; i < layers.size() - 1; i++) {
            SecureLayer l = layers.get(i);
            SharedTensor x = preprocess(i, a);
            a = timer.timed(l.describe(), "forward", () -> l.forward(x, training));
        }
        return preprocess(layers.size() - 1, a);
    }

    /**
     * Back-propagates {@code eps}, the gradient with respect to the output layer's input, through every layer below
     * it (each keeps its parameter gradients); the first layer computes no input gradient.
     */
    public void backwardBelowOutput(SharedTensor eps) {
        SharedTensor e = eps;
        for (int i = layers.size() - 2; i >= 0; i--) {
            SecureLayer l = layers.get(i);
            SharedTensor in = preprocessBackward(i + 1, e);
            boolean need = i > 0;
            e = timer.timed(l.describe(), "backward", () -> l.backward(in, need));
        }
    }

    private SharedTensor preprocess(int i, SharedTensor a) {
        InputPreProcessor p = preprocessors[i];
        if (p == null) {
            return a;
        }
        int n = (int) a.shape()[0];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        return new SharedTensor(a.party(), RingTensor.wrap(p.preProcess(a.first().array(), n, mgr)),
                RingTensor.wrap(p.preProcess(a.second().array(), n, mgr)));
    }

    private SharedTensor preprocessBackward(int i, SharedTensor eps) {
        InputPreProcessor p = preprocessors[i];
        if (p == null) {
            return eps;
        }
        int n = (int) eps.shape()[0];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        return new SharedTensor(eps.party(), RingTensor.wrap(p.backprop(eps.first().array(), n, mgr)),
                RingTensor.wrap(p.backprop(eps.second().array(), n, mgr)));
    }
}
