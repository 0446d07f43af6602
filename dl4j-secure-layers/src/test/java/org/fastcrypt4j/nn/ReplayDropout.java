package org.fastcrypt4j.nn;

import java.util.ArrayDeque;
import java.util.Deque;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J dropout for the plaintext twin that applies given 0/1 masks, one per training step in order, as inverted
 * dropout (input * mask / p, gradient * mask / p): the masks the secure run drew, replayed. Test code only: its copies
 * share one queue ({@link #clone()} returns this), so a configuration cloned by DL4J still replays the same masks.
 */
final class ReplayDropout implements IDropout {
    private static final long serialVersionUID = 1L;

    private final double p;
    private final Deque<INDArray> masks = new ArrayDeque<>();
    private INDArray current;

    ReplayDropout(double p) {
        this.p = p;
    }

    void add(INDArray mask) {
        masks.add(mask);
    }

    int remaining() {
        return masks.size();
    }

    @Override
    public INDArray applyDropout(INDArray input, INDArray result, int iteration, int epoch, LayerWorkspaceMgr mgr) {
        current = masks.poll();
        if (current == null) {
            throw new IllegalStateException("no recorded mask left for iteration " + iteration);
        }
        return result.assign(input.mul(current.castTo(input.dataType())).divi(p));
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        return gradAtInput.assign(gradAtOutput.mul(current.castTo(gradAtOutput.dataType())).divi(p));
    }

    @Override
    public void clear() {
    }

    @Override
    public IDropout clone() {
        return this;
    }
}
