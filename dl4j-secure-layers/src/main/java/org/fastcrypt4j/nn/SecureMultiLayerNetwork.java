package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.layers.AbstractSecureLayer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.LayerProfiler;
import org.fastcrypt4j.nn.network.LayerStack;
import org.fastcrypt4j.nn.network.ModelTransfer;
import org.fastcrypt4j.nn.network.PassTimer;
import org.fastcrypt4j.nn.network.PrivateEvaluation;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.ParameterSet;
import org.fastcrypt4j.nn.training.SecureOptimizer;
import org.fastcrypt4j.nn.training.TrainingLoop;
import org.fastcrypt4j.nn.training.TrainingData;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.nn.training.TrainingStep;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J network run by three parties on secret shares. Each party builds one from the same secure configuration
 * ({@link SecureConversion#toSecure} of an ordinary DL4J configuration, or one written with the secure layers)
 * and its own {@link Session}; every method is called by all three parties together, in the same order (the
 * protocols run in lock-step), each passing what it holds: the data owner its features, the model owner its
 * plain network, the others {@code null}.
 *
 * <p>The layers are DL4J layer instances made by DL4J's own {@code Layer.instantiate} from the configuration. This
 * class is a façade over the parts a computation graph shares: the passes ({@link LayerStack}), model import and
 * export ({@link ModelTransfer}), the data owner's input ({@link DataOwnerInput}), the training loop with its
 * checkpoints ({@link TrainingLoop}), evaluation ({@link PrivateEvaluation}) and profiling ({@link PassTimer}). It
 * drives training itself, since DL4J's {@code MultiLayerNetwork} cannot train a network whose parameters are not DL4J
 * parameters.
 *
 * <p>What each party learns: nothing but shapes, unless a method reveals a result, and then only the named
 * receiver learns it. {@link #importModel} and {@link #exportModel} move a model between the model owner's plain
 * network and shares; {@link #output(SharedTensor, int)} and {@link #evaluate} reveal the output layer's logits
 * (and nothing else) to one party.
 */
public final class SecureMultiLayerNetwork implements SecureModel {

    private final MultiLayerConfiguration conf;
    private final Session session;
    private final List<SecureLayer> layers;
    private final List<org.deeplearning4j.nn.api.Layer> dl4jLayers;
    private final FixedPoint fixedPoint;
    private final ParameterSet parameters;
    private final PassTimer timer;
    private final LayerStack stack;
    private final InputDropout dropout;
    private final DataOwnerInput input;
    private final ModelTransfer transfer;
    private final TrainingLoop loop;
    private SecureOptimizer optimizer;

    /**
     * @throws UnsupportedConfigurationException listing every layer that cannot run on shares
     */
    public SecureMultiLayerNetwork(MultiLayerConfiguration conf, Session session) {
        this.session = Objects.requireNonNull(session, "session: secure networks run inside a three-party session");
        SecureConversion.validate(conf);
        this.conf = conf.clone();
        this.fixedPoint = FixedPoint.withFractionalBits(session.fractionalBits());
        int n = this.conf.getConfs().size();
        List<SecureLayer> ls = new ArrayList<>();
        List<org.deeplearning4j.nn.api.Layer> dl = new ArrayList<>();
        List<ParameterSet.Member> members = new ArrayList<>();
        InputPreProcessor[] preprocessors = new InputPreProcessor[n];
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration c = this.conf.getConf(i);
            org.deeplearning4j.nn.api.Layer layer = c.getLayer().instantiate(c, Collections.emptyList(), i, null, false,
                    DataType.FLOAT);
            SecureLayer secure = (SecureLayer) layer;
            secure.bind(session);
            ls.add(secure);
            dl.add(layer);
            members.add(new ParameterSet.Member(Integer.toString(i), secure, c.getLayer()));
            preprocessors[i] = this.conf.getInputPreProcess(i);
        }
        layers = Collections.unmodifiableList(ls);
        dl4jLayers = Collections.unmodifiableList(dl);
        parameters = new ParameterSet(members);
        timer = new PassTimer(session);
        List<org.deeplearning4j.nn.conf.layers.Layer> layerConfs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            layerConfs.add(this.conf.getConf(i).getLayer());
        }
        dropout = new InputDropout(session, layerConfs);
        stack = new LayerStack(layers, preprocessors, timer, dropout);
        input = new DataOwnerInput(session, fixedPoint);
        transfer = new ModelTransfer(session, fixedPoint);
        loop = new TrainingLoop(session, this, input, fixedPoint, this.conf.getConf(n - 1));
    }

    public MultiLayerConfiguration getConfiguration() {
        return conf.clone();
    }

    public Session session() {
        return session;
    }

    public int getnLayers() {
        return layers.size();
    }

    public SecureLayer getLayer(int i) {
        return layers.get(i);
    }

    /** The layers as DL4J layer instances. */
    public List<org.deeplearning4j.nn.api.Layer> getDl4jLayers() {
        return dl4jLayers;
    }

    private SecureOutput outputLayer() {
        return stack.outputLayer();
    }

    private SecureOutputLayer outputConf() {
        return (SecureOutputLayer) conf.getConf(layers.size() - 1).getLayer();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    /** This network's configuration hash, as checkpoints record it. */
    @Override
    public byte[] configHash() {
        return Checkpoint.configHash(conf.toJson());
    }

    @Override
    public SecureOptimizer optimizer() {
        if (optimizer == null) {
            optimizer = parameters.newOptimizer();
        }
        return optimizer;
    }

    // ------------------------------------------------------------------------------------------- parameters

    /**
     * The model owner secret-shares the parameters of its plain network: {@code plainAtOwner} at party
     * {@code owner} (a trained model, or DL4J's initialisation of {@link SecureConversion#toPlain}), {@code null}
     * elsewhere. See {@link ModelTransfer} for the mapping, the checks and the cost.
     */
    public void importModel(int owner, MultiLayerNetwork plainAtOwner) {
        checkParty(owner, "model owner");
        transfer.importParameters(owner, parameters, session.party() == owner && plainAtOwner != null
                ? ModelTransfer.withParameters(plainAtOwner.getLayers()) : null);
    }

    /** The model owner builds the plaintext twin with DL4J's own initialisation (the configuration's seed) and shares it. */
    public void initParameters(int owner) {
        MultiLayerNetwork twin = null;
        if (session.party() == owner) {
            twin = new MultiLayerNetwork(SecureConversion.toPlain(conf));
            twin.init();
        }
        importModel(owner, twin);
    }

    /**
     * Reveals the parameters to the model owner only and returns them there as a plain network of the plaintext
     * twin configuration ({@link SecureConversion#toPlain}); {@code null} at the other parties, which learn
     * nothing. Cost: 8 bytes per parameter from one party, one round per parameter tensor.
     *
     * <p>What the owner learns beyond the model: each weight went through the wrap-free truncation in its last
     * update, whose rounding bit is decided by values one party sees (see {@code TruncationWrapFree}), so the
     * owner learns, per weight, one bit about the low f bits of that update (below the model's precision).
     */
    public MultiLayerNetwork exportModel(int owner) {
        MultiLayerNetwork twin = null;
        if (session.party() == owner) {
            twin = new MultiLayerNetwork(SecureConversion.toPlain(conf));
            twin.init();
        }
        exportModel(owner, twin);
        return twin;
    }

    /** As {@link #exportModel(int)} into {@code targetAtOwner} (for example a network of the original configuration). */
    public void exportModel(int owner, MultiLayerNetwork targetAtOwner) {
        checkParty(owner, "model owner");
        transfer.exportParameters(owner, parameters, session.party() == owner && targetAtOwner != null
                ? ModelTransfer.withParameters(targetAtOwner.getLayers()) : null);
    }

    // ------------------------------------------------------------------------------------------- data

    /**
     * The data owner secret-shares a batch: {@code featuresAtOwner} at party {@code owner}, {@code null} elsewhere.
     * The owner first announces the batch's shape (public; 72 bytes to each party) and checks every value against the
     * supported input range ({@link DataOwnerInput}), then shares the fixed-point values (8 bytes per value to one
     * party, PROTOCOLS.md 1.1).
     */
    public SharedTensor shareInput(int owner, INDArray featuresAtOwner) {
        checkParty(owner, "data owner");
        return input.share(owner, featuresAtOwner, "feature");
    }

    // ------------------------------------------------------------------------------------------- profiling

    /** Profiles every pass from now on (null: stop). */
    public void setProfiler(LayerProfiler p) {
        timer.setProfiler(p);
    }

    // ------------------------------------------------------------------------------------------- training

    /**
     * Tells {@code l} of every dropout mask drawn in training (null: stop). The masks are public to the three
     * servers by design ({@link InputDropout}); tests replay them in DL4J's plaintext twin.
     */
    public void setDropoutMaskListener(InputDropout.MaskListener l) {
        dropout.setListener(l);
    }

    /** DL4J listeners, told of every iteration and epoch (they see only what {@code SecureTrainingModel} shows). */
    public void setListeners(TrainingListener... ls) {
        loop.setListeners(ls);
    }

    /** Global steps done so far (restored from a checkpoint on resume). */
    public long step() {
        return loop.step();
    }

    /**
     * One training step on a shared batch: forward (keeping what the backward pass needs), the loss gradient on
     * shares, backward through every layer (the configuration's preprocessors included), and the update of every
     * parameter with the configured updater, regularization and clipping at the loop's iteration and epoch
     * ({@link org.fastcrypt4j.nn.training.SecureOptimizer}). Returns the mean loss, shared,
     * when {@code withLoss}, else null. Nothing is opened.
     */
    @Override
    public SharedTensor fitBatch(SharedTensor features, SharedTensor labels, boolean withLoss) {
        checkOwnShare(features);
        TrainingStep.Net net = new TrainingStep.Net(session, timer, outputLayer(), dropout, parameters, optimizer(),
                conf.getConf(0).isMiniBatch());
        return TrainingStep.run(net, loop.step(), loop.epoch(), features, labels, withLoss,
                x -> stack.forwardToOutput(x, true), layers.size() > 1 ? stack::backwardBelowOutput : null);
    }

    /**
     * Trains on the data owner's iterator: each batch's features and labels are secret-shared by the data owner
     * (which announces their public shapes), then {@link #fitBatch}. The model owner's initial weights must be in
     * place ({@link #initParameters} or {@link #importModel}). Listeners and the options' step listener hear of every
     * step; the loss is revealed to the data owner only if the options ask for it. With checkpoints, every party
     * writes its own file every {@code checkpointEvery} steps, at a requested stop and at the end. Every party calls
     * this together; {@code iteratorAtOwner} is null except at the data owner, which must give the batches in the
     * same order on a resumed run (the batches already done in the interrupted epoch are skipped).
     */
    public void fit(int dataOwner, DataSetIterator iteratorAtOwner, TrainingOptions options) {
        checkParty(dataOwner, "data owner");
        loop.fit(dataOwner, iteratorAtOwner, options);
    }

    /**
     * Trains on batches that are already shares (rows uploaded by data owners outside the parties, or any other
     * {@link TrainingData}); otherwise as {@link #fit(int, DataSetIterator, TrainingOptions)}.
     */
    public void fit(TrainingData data, TrainingOptions options) {
        loop.fit(data, options);
    }

    /**
     * The output layer's logits on shares at scale 2f, without their last truncation: what a client outside the
     * parties receives (each party's component through {@code Sharing.revealToClient}) and decodes at 2f, so that no
     * party's view decides a rounding bit of what the client learns.
     */
    public SharedTensor logitsForClient(SharedTensor features) {
        checkOwnShare(features);
        SharedTensor in = stack.forwardToOutput(features, false);
        return timer.timed(outputLayer().describe(), "forward", () -> outputLayer().logitsForReveal(in));
    }

    /** Whether the output layer is softmax with cross-entropy (a client applies softmax to revealed logits). */
    public boolean softmaxOutput() {
        return outputConf().isSoftmaxCrossEntropy();
    }

    /**
     * Continues from this party's checkpoint (see {@link TrainingLoop#resumeFrom}): the session is a fresh one with
     * fresh keys; the shares of the parameters and the optimizer state and the counters are restored after the three
     * parties confirmed they resume the same run and step.
     */
    public void resumeFrom(Checkpoint c) {
        loop.resumeFrom(c);
    }

    // ------------------------------------------------------------------------------------------- inference

    /** The output layer's logits (pre-activation) on shares, scale f. */
    public SharedTensor logits(SharedTensor features) {
        checkOwnShare(features);
        SharedTensor in = stack.forwardToOutput(features, false);
        return timer.timed(outputLayer().describe(), "forward", () -> outputLayer().forward(in, false));
    }

    /**
     * The network's output on shares: the output layer's activation (softmax computed on shares, or an MSE output's
     * activation), scale f. Nothing is revealed.
     */
    public SharedTensor output(SharedTensor features) {
        return outputLayer().activate(logits(features));
    }

    /**
     * Reveals the network's prediction for shared features to party {@code receiver} only: the output layer's
     * logits, computed without the last truncation and divided by 2^2f in the clear at the receiver (so the
     * receiver learns the logits at full precision and nothing else), then the output activation applied there
     * (softmax probabilities, or an MSE output's activation). Returns them at the receiver, {@code null} elsewhere.
     */
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
        checkOwnShare(features);
        SharedTensor in = stack.forwardToOutput(features, false);
        SharedTensor z = timer.timed(outputLayer().describe(), "forward", () -> outputLayer().logitsForReveal(in));
        RingTensor v = Sharing.revealTo(session, receiver, z);
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

    private void checkParty(int p, String role) {
        if (p < 0 || p > 2) {
            throw new IllegalArgumentException("party " + session.party() + ": " + role + " must be party 0, 1 or 2, got "
                    + p);
        }
    }

    private void checkOwnShare(SharedTensor features) {
        if (features.party() != session.party()) {
            throw new IllegalArgumentException("party " + session.party() + ": features are a share of party "
                    + features.party());
        }
    }

    FixedPoint fixedPoint() {
        return fixedPoint;
    }

    List<SecureLayer> layers() {
        return layers;
    }

    /** Runtime layer {@code i} as the abstract base (package use). */
    AbstractSecureLayer<?> abstractLayer(int i) {
        return (AbstractSecureLayer<?>) layers.get(i);
    }

    /** The parameters by full name (package use: tests). */
    Map<String, SharedTensor> parameterMap() {
        return parameters.parameters();
    }
}
