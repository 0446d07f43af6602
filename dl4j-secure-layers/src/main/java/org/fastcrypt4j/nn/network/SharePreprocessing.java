package org.fastcrypt4j.nn.network;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * DL4J's input preprocessors applied to both components of a sharing (CnnToFeedForward, FeedForwardToCnn,
 * RnnToFeedForward and the like only permute, dup and reshape: bit-exact on LONG shares). Local.
 */
public final class SharePreprocessing {
    private SharePreprocessing() {
    }

    /** {@code p}'s forward map of {@code a}; {@code a} itself when {@code p} is null. */
    public static SharedTensor forward(InputPreProcessor p, SharedTensor a) {
        if (p == null) {
            return a;
        }
        int n = (int) a.shape()[0];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        return new SharedTensor(a.party(), RingTensor.wrap(p.preProcess(a.first().array(), n, mgr)),
                RingTensor.wrap(p.preProcess(a.second().array(), n, mgr)));
    }

    /** {@code p}'s backward map of the gradient {@code eps}; {@code eps} itself when {@code p} is null. */
    public static SharedTensor backward(InputPreProcessor p, SharedTensor eps) {
        if (p == null || eps == null) {
            return eps;
        }
        int n = (int) eps.shape()[0];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        return new SharedTensor(eps.party(), RingTensor.wrap(p.backprop(eps.first().array(), n, mgr)),
                RingTensor.wrap(p.backprop(eps.second().array(), n, mgr)));
    }
}
