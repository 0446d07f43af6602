package org.fastcrypt4j.nn;

import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.LayerProfiler;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.TrainingData;
import org.fastcrypt4j.nn.training.TrainingLoop;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What a secure network offers whatever its shape: {@link SecureMultiLayerNetwork} and {@link SecureComputationGraph}.
 * One party's side; the three parties call the same methods together.
 */
public interface SecureModel extends TrainingLoop.Trainable {

    Session session();

    /** The model owner builds the plaintext twin with DL4J's own initialisation and shares it. */
    void initParameters(int owner);

    /** The data owner secret-shares a batch of features ({@code null} at the other parties). */
    SharedTensor shareInput(int owner, INDArray featuresAtOwner);

    /** The output layer's logits on shares, scale f. */
    SharedTensor logits(SharedTensor features);

    /** The output on shares (softmax on shares, or an MSE output's activation). Nothing is revealed. */
    SharedTensor output(SharedTensor features);

    /** The logits at scale 2f without their last truncation, for a client outside the parties. */
    SharedTensor logitsForClient(SharedTensor features);

    /** Whether the output layer is softmax with cross-entropy. */
    boolean softmaxOutput();

    /** The prediction revealed to {@code receiver} only; {@code null} elsewhere. */
    INDArray output(SharedTensor features, int receiver);

    /** Trains on the data owner's iterator. */
    void fit(int dataOwner, DataSetIterator iteratorAtOwner, TrainingOptions options);

    /** Trains on batches that are already shares. */
    void fit(TrainingData data, TrainingOptions options);

    /** Continues from this party's checkpoint. */
    void resumeFrom(Checkpoint c);

    /** Global steps done so far. */
    long step();

    void setListeners(TrainingListener... ls);

    void setDropoutMaskListener(InputDropout.MaskListener l);

    /** Profiles every pass from now on (null: stop). */
    void setProfiler(LayerProfiler p);
}
