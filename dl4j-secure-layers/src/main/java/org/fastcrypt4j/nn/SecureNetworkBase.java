package org.fastcrypt4j.nn;

import java.util.Objects;
import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.LayerProfiler;
import org.fastcrypt4j.nn.network.ModelTransfer;
import org.fastcrypt4j.nn.network.PassTimer;
import org.fastcrypt4j.nn.network.PrivateEvaluation;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.ParameterSet;
import org.fastcrypt4j.nn.training.SecureOptimizer;
import org.fastcrypt4j.nn.training.TrainingData;
import org.fastcrypt4j.nn.training.TrainingLoop;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.nn.training.TrainingStep;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What {@link SecureMultiLayerNetwork} and {@link SecureComputationGraph} share: the session, the parameters and their
 * optimizer, the training loop, dropout, the data owner's input, model transfer, profiling, and everything defined by
 * the passes to the output layer's input and back that each shape supplies ({@link #forwardToOutput},
 * {@link #backwardBelowOutput}): training steps, logits, predictions revealed to one party, evaluation.
 */
abstract class SecureNetworkBase implements SecureModel {
    protected final Session session;
    protected final FixedPoint fixedPoint;
    protected final PassTimer timer;
    protected final DataOwnerInput input;
    protected final ModelTransfer transfer;
    private ParameterSet parameters;
    private InputDropout dropout;
    private TrainingLoop loop;
    private SecureOptimizer optimizer;

    protected SecureNetworkBase(Session session) {
        this.session = Objects.requireNonNull(session, "session: secure networks run inside a three-party session");
        this.fixedPoint = FixedPoint.withFractionalBits(session.fractionalBits());
        this.timer = new PassTimer(session);
        this.input = new DataOwnerInput(session, fixedPoint);
        this.transfer = new ModelTransfer(session, fixedPoint);
    }

    /** Completes construction once the subclass has its layers: parameters, dropout, and the output's configuration. */
    protected final void wire(ParameterSet parameters, InputDropout dropout, NeuralNetConfiguration outputConf) {
        this.parameters = parameters;
        this.dropout = dropout;
        this.loop = new TrainingLoop(session, this, input, fixedPoint, outputConf);
    }

    /** The output layer's input: every layer or vertex below it, in training with what backward needs kept. */
    protected abstract SharedTensor forwardToOutput(SharedTensor features, boolean training);

    /** Back-propagates the gradient at the output layer's input below it; null when the output reads the input. */
    protected abstract Consumer<SharedTensor> backwardBelowOutput();

    protected abstract SecureOutput outputLayer();

    protected abstract SecureOutputLayer outputConf();

    /** DL4J's miniBatch setting of the configuration. */
    protected abstract boolean miniBatch();

    /** The configuration's JSON, whose hash checkpoints record. */
    protected abstract String configurationJson();

    protected InputDropout dropout() {
        return dropout;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    /** This network's configuration hash, as checkpoints record it. */
    @Override
    public byte[] configHash() {
        return Checkpoint.configHash(configurationJson());
    }

    @Override
    public SecureOptimizer optimizer() {
        if (optimizer == null) {
            optimizer = parameters.newOptimizer();
        }
        return optimizer;
    }

    /**
     * The data owner secret-shares a batch: {@code featuresAtOwner} at party {@code owner}, {@code null} elsewhere.
     * The owner first announces the batch's shape (public; 72 bytes to each party) and checks every value against the
     * supported input range ({@link DataOwnerInput}), then shares the fixed-point values (8 bytes per value to one
     * party, PROTOCOLS.md 1.1).
     */
    @Override
    public SharedTensor shareInput(int owner, INDArray featuresAtOwner) {
        checkParty(owner, "data owner");
        return input.share(owner, featuresAtOwner, "feature");
    }

    @Override
    public void setProfiler(LayerProfiler p) {
        timer.setProfiler(p);
    }

    /**
     * Tells {@code l} of every dropout mask drawn in training (null: stop). The masks are public to the three
     * servers by design ({@link InputDropout}); tests replay them in DL4J's plaintext twin.
     */
    @Override
    public void setDropoutMaskListener(InputDropout.MaskListener l) {
        dropout.setListener(l);
    }

    /** DL4J listeners, told of every iteration and epoch (they see only what {@code SecureTrainingModel} shows). */
    @Override
    public void setListeners(TrainingListener... ls) {
        loop.setListeners(ls);
    }

    /** Global steps done so far (restored from a checkpoint on resume). */
    @Override
    public long step() {
        return loop.step();
    }

    /**
     * One training step on a shared batch ({@link TrainingStep}): forward, the loss gradient on shares, backward,
     * and the update of every parameter at the loop's iteration and epoch. Returns the mean loss, shared, when
     * {@code withLoss}, else null. Nothing is opened.
     */
    @Override
    public SharedTensor fitBatch(SharedTensor features, SharedTensor labels, boolean withLoss) {
        checkOwnShare(features);
        TrainingStep.Net net = new TrainingStep.Net(session, timer, outputLayer(), dropout, parameters, optimizer(),
                miniBatch());
        return TrainingStep.run(net, loop.step(), loop.epoch(), features, labels, withLoss,
                x -> forwardToOutput(x, true), backwardBelowOutput());
    }

    /**
     * Trains on the data owner's iterator: each batch's features and labels are secret-shared by the data owner
     * (which announces their public shapes), then {@link #fitBatch}. The model owner's initial weights must be in
     * place. Listeners and the options' step listener hear of every step; the loss is revealed to the data owner only
     * if the options ask for it. With checkpoints, every party writes its own file every {@code checkpointEvery}
     * steps, at a requested stop and at the end. Every party calls this together; {@code iteratorAtOwner} is null
     * except at the data owner, which must give the batches in the same order on a resumed run.
     */
    @Override
    public void fit(int dataOwner, DataSetIterator iteratorAtOwner, TrainingOptions options) {
        checkParty(dataOwner, "data owner");
        loop.fit(dataOwner, iteratorAtOwner, options);
    }

    /** Trains on batches that are already shares (rows uploaded by data owners outside the parties, ...). */
    @Override
    public void fit(TrainingData data, TrainingOptions options) {
        loop.fit(data, options);
    }

    /**
     * Continues from this party's checkpoint (see {@link TrainingLoop#resumeFrom}): the session is a fresh one with
     * fresh keys; the shares of the parameters and the optimizer state and the counters are restored after the three
     * parties confirmed they resume the same run and step.
     */
    @Override
    public void resumeFrom(Checkpoint c) {
        loop.resumeFrom(c);
    }

    /** The output layer's logits (pre-activation) on shares, scale f. */
    @Override
    public SharedTensor logits(SharedTensor features) {
        checkOwnShare(features);
        SharedTensor in = forwardToOutput(features, false);
        return timer.timed(outputLayer().describe(), "forward", () -> outputLayer().forward(in, false));
    }

    /** The network's output on shares (softmax on shares, or an MSE output's activation), scale f. */
    @Override
    public SharedTensor output(SharedTensor features) {
        return outputLayer().activate(logits(features));
    }

    /**
     * The output layer's logits on shares at scale 2f, without their last truncation: what a client outside the
     * parties receives and decodes at 2f, so that no party's view decides a rounding bit of what the client learns.
     */
    @Override
    public SharedTensor logitsForClient(SharedTensor features) {
        checkOwnShare(features);
        SharedTensor in = forwardToOutput(features, false);
        return timer.timed(outputLayer().describe(), "forward", () -> outputLayer().logitsForReveal(in));
    }

    /** Whether the output layer is softmax with cross-entropy (a client applies softmax to revealed logits). */
    @Override
    public boolean softmaxOutput() {
        return outputConf().isSoftmaxCrossEntropy();
    }

    /**
     * Reveals the prediction for shared features to party {@code receiver} only: the logits computed without the
     * last truncation and divided by 2^2f in the clear at the receiver, then the output activation applied there
     * (softmax probabilities, or an MSE output's activation). Returns them at the receiver, {@code null} elsewhere.
     */
    @Override
    public INDArray output(SharedTensor features, int receiver) {
        INDArray logits = revealLogits(features, receiver);
        if (logits == null) {
            return null;
        }
        return outputConf().isSoftmaxCrossEntropy() ? softmaxRows(logits)
                : outputConf().getActivationFn().getActivation(logits, false);   // a public function, at the receiver
    }

    /** The logits revealed to {@code receiver} as in {@link #output(SharedTensor, int)}, without the activation. */
    public INDArray revealLogits(SharedTensor features, int receiver) {
        checkParty(receiver, "receiver");
        RingTensor v = Sharing.revealTo(session, receiver, logitsForClient(features));
        return v == null ? null : fixedPoint.decodeProduct(v);
    }

    /** The data owner's features, shared and classified, the prediction revealed to {@code receiver} only. */
    public INDArray output(int dataOwner, INDArray featuresAtOwner, int receiver) {
        return output(shareInput(dataOwner, featuresAtOwner), receiver);
    }

    /**
     * Evaluates the network on the data owner's iterator with DL4J's {@link Evaluation} at {@code receiver}
     * ({@link PrivateEvaluation}: predictions revealed to the receiver only). Returns the evaluation at the receiver,
     * {@code null} elsewhere.
     *
     * @param maxBatches stop after this many batches (0: the whole iterator)
     */
    public Evaluation evaluate(int dataOwner, DataSetIterator iteratorAtOwner, int receiver, int maxBatches) {
        return evaluate(dataOwner, iteratorAtOwner, receiver, maxBatches, null);
    }

    /**
     * As {@link #evaluate(int, DataSetIterator, int, int)}, also handing every batch's revealed prediction to
     * {@code predictionsAtReceiver} at the receiver (ignored elsewhere).
     */
    public Evaluation evaluate(int dataOwner, DataSetIterator iteratorAtOwner, int receiver, int maxBatches,
            Consumer<INDArray> predictionsAtReceiver) {
        checkParty(dataOwner, "data owner");
        checkParty(receiver, "receiver");
        return new PrivateEvaluation(session, input).evaluate(dataOwner, iteratorAtOwner, receiver, maxBatches,
                this::output, (int) outputConf().getNOut(), predictionsAtReceiver);
    }

    /** Row-wise softmax in the clear (at the receiver of revealed logits). */
    static INDArray softmaxRows(INDArray logits) {
        INDArray z = logits.castTo(DataType.DOUBLE);
        INDArray max = z.max(true, 1);
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(z.subColumnVector(max), false);
        return e.divColumnVector(e.sum(true, 1));
    }

    protected void checkParty(int p, String role) {
        if (p < 0 || p > 2) {
            throw new IllegalArgumentException("party " + session.party() + ": " + role + " must be party 0, 1 or 2, got "
                    + p);
        }
    }

    protected void checkOwnShare(SharedTensor features) {
        if (features.party() != session.party()) {
            throw new IllegalArgumentException("party " + session.party() + ": features are a share of party "
                    + features.party());
        }
    }

    FixedPoint fixedPoint() {
        return fixedPoint;
    }
}
