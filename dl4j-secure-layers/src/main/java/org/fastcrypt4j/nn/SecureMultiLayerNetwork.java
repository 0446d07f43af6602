package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.nn.layers.AbstractSecureLayer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.SecureOptimizer;
import org.fastcrypt4j.nn.training.SecureTrainingModel;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.learning.config.IUpdater;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J network run by three parties on secret shares. Each party builds one from the same secure configuration
 * ({@link SecureConversion#toSecure} of an ordinary DL4J configuration, or one written with the secure layers)
 * and its own {@link Session}; every method is called by all three parties together, in the same order (the
 * protocols run in lock-step), each passing what it holds: the data owner its features, the model owner its
 * plain network, the others {@code null}.
 *
 * <p>The layers are DL4J layer instances made by DL4J's own {@code Layer.instantiate} from the configuration; the
 * configuration's input preprocessors reshape the shares between them (bit-exactly on LONG arrays). The network
 * drives the forward and backward passes itself, since DL4J's {@code MultiLayerNetwork} cannot train a network
 * whose parameters are not DL4J parameters.
 *
 * <p>What each party learns: nothing but shapes, unless a method reveals a result, and then only the named
 * receiver learns it. {@link #importModel} and {@link #exportModel} move a model between the model owner's plain
 * network and shares; {@link #output(int, INDArray, int)} and {@link #evaluate} reveal the output layer's logits
 * (and nothing else) to one party.
 */
public final class SecureMultiLayerNetwork {

    private static final int MAX_RANK = 8;

    private final MultiLayerConfiguration conf;
    private final Session session;
    private final List<SecureLayer> layers;
    private final List<org.deeplearning4j.nn.api.Layer> dl4jLayers;
    private final InputPreProcessor[] preprocessors;
    private final FixedPoint fixedPoint;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final SecureTrainingModel listenerView;
    private SecureOptimizer optimizer;
    private LayerProfiler profiler;
    private long step;
    private int epoch;
    private int batchInEpoch;

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
        preprocessors = new InputPreProcessor[n];
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration c = this.conf.getConf(i);
            org.deeplearning4j.nn.api.Layer layer = c.getLayer().instantiate(c, Collections.emptyList(), i, null, false,
                    DataType.FLOAT);
            SecureLayer secure = (SecureLayer) layer;
            secure.bind(session);
            ls.add(secure);
            dl.add(layer);
            preprocessors[i] = this.conf.getInputPreProcess(i);
        }
        layers = Collections.unmodifiableList(ls);
        dl4jLayers = Collections.unmodifiableList(dl);
        listenerView = new SecureTrainingModel(this.conf.getConf(n - 1));
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

    SecureOutput outputLayer() {
        return (SecureOutput) layers.get(layers.size() - 1);
    }

    private SecureOutputLayer outputConf() {
        return (SecureOutputLayer) conf.getConf(layers.size() - 1).getLayer();
    }

    /** Indices of the layers with parameters, in order (the plain network's parameter layers map onto these). */
    List<Integer> parameterLayers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!SecureParamInitializer.shareShapes(conf.getConf(i).getLayer()).isEmpty()) {
                out.add(i);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- parameters

    /**
     * The model owner secret-shares the parameters of its plain network: {@code plainAtOwner} at party
     * {@code owner} (a trained model, or DL4J's initialisation of {@link SecureConversion#toPlain}), {@code null}
     * elsewhere. The plain network's layers with parameters map in order onto this network's (the inserted ReLU
     * layers have none), with the same DL4J layouts; shapes are checked at the owner. The others learn nothing
     * (each receives one uniformly random component per value). Cost: 8 bytes per parameter from the owner, one
     * round per parameter tensor.
     */
    public void importModel(int owner, MultiLayerNetwork plainAtOwner) {
        checkParty(owner, "model owner");
        List<Integer> targets = parameterLayers();
        List<Map<String, INDArray>> plain = null;
        if (session.party() == owner) {
            plain = plainParameterTables(plainAtOwner, targets);
        }
        for (int k = 0; k < targets.size(); k++) {
            int i = targets.get(k);
            Map<String, long[]> shapes = SecureParamInitializer.shareShapes(conf.getConf(i).getLayer());
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                RingTensor value = plain == null ? null
                        : fixedPoint.encode(plain.get(k).get(e.getKey()).castTo(DataType.DOUBLE).reshape(e.getValue()));
                layers.get(i).setParameter(e.getKey(), Sharing.input(session, owner, value, e.getValue()));
            }
        }
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

    private List<Map<String, INDArray>> plainParameterTables(MultiLayerNetwork plain, List<Integer> targets) {
        if (plain == null) {
            throw new IllegalArgumentException("party " + session.party() + " is the model owner but passed no model");
        }
        List<Map<String, INDArray>> tables = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : plain.getLayers()) {
            if (l.numParams() > 0) {
                tables.add(l.paramTable());
            }
        }
        if (tables.size() != targets.size()) {
            throw new IllegalArgumentException("party " + session.party() + ": the plain model has " + tables.size()
                    + " layers with parameters, the secure configuration " + targets.size());
        }
        for (int k = 0; k < targets.size(); k++) {
            int i = targets.get(k);
            for (Map.Entry<String, long[]> e : SecureParamInitializer.shareShapes(conf.getConf(i).getLayer()).entrySet()) {
                INDArray p = tables.get(k).get(e.getKey());
                if (p == null || p.length() != Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)) {
                    throw new IllegalArgumentException("party " + session.party() + ": parameter '" + e.getKey()
                            + "' of " + layers.get(i).describe() + " has shape " + Arrays.toString(e.getValue())
                            + ", the plain model's is " + (p == null ? "missing" : Arrays.toString(p.shape())));
                }
            }
        }
        return tables;
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
        List<Integer> sources = parameterLayers();
        List<org.deeplearning4j.nn.api.Layer> targets = new ArrayList<>();
        if (session.party() == owner) {
            plainParameterTables(targetAtOwner, sources);
            for (org.deeplearning4j.nn.api.Layer l : targetAtOwner.getLayers()) {
                if (l.numParams() > 0) {
                    targets.add(l);
                }
            }
        }
        for (int k = 0; k < sources.size(); k++) {
            SecureLayer layer = layers.get(sources.get(k));
            for (Map.Entry<String, SharedTensor> e : layer.parameters().entrySet()) {
                RingTensor v = Sharing.revealTo(session, owner, e.getValue());
                if (v != null) {
                    org.deeplearning4j.nn.api.Layer t = targets.get(k);
                    INDArray current = t.getParam(e.getKey());
                    t.setParam(e.getKey(), fixedPoint.decode(v, current.dataType()).reshape(current.shape()));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- data

    /**
     * The data owner secret-shares a batch: {@code featuresAtOwner} at party {@code owner}, {@code null} elsewhere.
     * The owner first announces the batch's shape (public; 72 bytes to each party), then shares the fixed-point
     * values (8 bytes per value to one party, PROTOCOLS.md 1.1).
     */
    public SharedTensor shareInput(int owner, INDArray featuresAtOwner) {
        checkParty(owner, "data owner");
        long[] shape = announceShape(owner, featuresAtOwner, "data/shape");
        if (shape.length == 0) {
            throw new IllegalArgumentException("party " + session.party() + ": the data owner announced no batch");
        }
        RingTensor v = session.party() == owner ? fixedPoint.encode(featuresAtOwner.castTo(DataType.DOUBLE)) : null;
        return Sharing.input(session, owner, v, shape);
    }

    /**
     * The owner sends the public shape of {@code a} (or, for {@code a == null} at the owner, the end of the data)
     * to both others; every party returns it (an empty shape for the end).
     */
    private long[] announceShape(int owner, INDArray a, String tag) {
        long[] msg = new long[MAX_RANK + 1];
        if (session.party() == owner) {
            if (a != null) {
                long[] shape = a.shape();
                if (shape.length > MAX_RANK) {
                    throw new IllegalArgumentException("party " + owner + ": batch of rank " + shape.length);
                }
                msg[0] = shape.length;
                System.arraycopy(shape, 0, msg, 1, shape.length);
            }
            session.transport().send(session.next(), tag, msg);
            session.transport().send(session.prev(), tag, msg);
        } else {
            session.transport().receive(owner, tag, msg);
            if (msg[0] < 0 || msg[0] > MAX_RANK) {
                throw new IllegalStateException("party " + session.party() + ": bad shape announcement from party " + owner);
            }
        }
        return Arrays.copyOfRange(msg, 1, 1 + (int) msg[0]);
    }

    // ------------------------------------------------------------------------------------------- profiling

    /**
     * Receives, for every layer pass (and the loss and the update of a training step), its wall time and what this
     * party sent during it, by protocol step (the tag prefix: mul, trunc, a2b, relu, maxpool, ...).
     */
    @FunctionalInterface
    public interface LayerProfiler {
        /**
         * @param what    "layer 2 'pool1' (SecureSubsampling)", "loss" or "update"
         * @param phase   "forward" or "backward"
         * @param steps   protocol step (tag prefix) to {bytes sent, messages sent, rounds}
         */
        void record(String what, String phase, long nanos, long bytesSent, long rounds,
                Map<String, long[]> steps);
    }

    /** Profiles every pass from now on (null: stop). */
    public void setProfiler(LayerProfiler p) {
        profiler = p;
    }

    private SharedTensor timed(String what, String phase, java.util.function.Supplier<SharedTensor> f) {
        if (profiler == null) {
            return f.get();
        }
        Map<String, org.fastcrypt4j.transport.TrafficStats.Counter> before = session.stats().snapshot();
        long depth = session.stats().depth();
        long t0 = System.nanoTime();
        SharedTensor out = f.get();
        long nanos = System.nanoTime() - t0;
        Map<String, org.fastcrypt4j.transport.TrafficStats.Counter> after = session.stats().snapshot();
        Map<String, long[]> steps = new java.util.TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, org.fastcrypt4j.transport.TrafficStats.Counter> e : after.entrySet()) {
            org.fastcrypt4j.transport.TrafficStats.Counter b = before.get(e.getKey());
            long db = e.getValue().bytesSent() - (b == null ? 0 : b.bytesSent());
            long dm = e.getValue().messagesSent() - (b == null ? 0 : b.messagesSent());
            long dr = e.getValue().rounds() - (b == null ? 0 : b.rounds());
            if (db != 0 || dm != 0 || dr != 0) {
                steps.put(e.getKey(), new long[] {db, dm, dr});
                bytes += db;
            }
        }
        profiler.record(what, phase, nanos, bytes, session.stats().depth() - depth, steps);
        return out;
    }

    // ------------------------------------------------------------------------------------------- training

    /** DL4J listeners, told of every iteration and epoch (they see only what {@link SecureTrainingModel} shows). */
    public void setListeners(TrainingListener... ls) {
        listeners.clear();
        listeners.addAll(Arrays.asList(ls));
    }

    /** Global steps done so far (restored from a checkpoint on resume). */
    public long step() {
        return step;
    }

    private SecureOptimizer optimizer() {
        if (optimizer == null) {
            optimizer = new SecureOptimizer();
            for (int i : parameterLayers()) {
                org.deeplearning4j.nn.conf.layers.BaseLayer l =
                        (org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getConf(i).getLayer();
                for (String key : SecureParamInitializer.shareShapes(l).keySet()) {
                    IUpdater u = key.equals(SecureParamInitializer.BIAS_KEY) && l.getBiasUpdater() != null
                            ? l.getBiasUpdater() : l.getIUpdater();
                    optimizer.register(i + "_" + key, u);
                }
            }
        }
        return optimizer;
    }

    /**
     * One training step on a shared batch: forward (keeping what the backward pass needs), the loss gradient on
     * shares, backward through every layer (the configuration's preprocessors included), and the update of every
     * parameter with the configured SGD or Nesterovs updater (one truncation pass). Returns the mean loss, shared,
     * when {@code withLoss}, else null. Nothing is opened.
     */
    public SharedTensor fitBatch(SharedTensor features, SharedTensor labels, boolean withLoss) {
        int n = (int) features.shape()[0];
        SecureOutput out = outputLayer();
        int last = layers.size() - 1;
        SharedTensor in = featuresBeforeOutput(features, true);
        SharedTensor logits = timed(out.describe(), "forward", () -> out.forward(in, true));
        SecureOutput.LossStep[] loss = new SecureOutput.LossStep[1];
        timed("loss", "forward", () -> {
            loss[0] = out.lossStep(logits, labels, withLoss);
            return loss[0].gradient();
        });
        SharedTensor eps = timed(out.describe(), "backward", () -> out.backward(loss[0].gradient(), last > 0));
        for (int i = last - 1; i >= 0; i--) {
            SecureLayer l = layers.get(i);
            SharedTensor e = preprocessBackward(i + 1, eps);
            boolean need = i > 0;
            eps = timed(l.describe(), "backward", () -> l.backward(e, need));
        }
        Map<String, SharedTensor> params = new java.util.LinkedHashMap<>();
        Map<String, SharedTensor> grads = new java.util.LinkedHashMap<>();
        for (int i : parameterLayers()) {
            SecureLayer l = layers.get(i);
            l.parameters().forEach((k, v) -> params.put(i + "_" + k, v));
            l.gradients().forEach((k, v) -> grads.put(i + "_" + k, v));
        }
        @SuppressWarnings("unchecked")
        Map<String, SharedTensor>[] holder = new Map[1];
        timed("update", "backward", () -> {
            holder[0] = optimizer().step(session, params, grads, n);
            return null;
        });
        Map<String, SharedTensor> updated = holder[0];
        updated.forEach((k, v) -> {
            int sep = k.indexOf('_');
            layers.get(Integer.parseInt(k.substring(0, sep))).setParameter(k.substring(sep + 1), v);
        });
        return loss[0].loss();
    }

    /**
     * Trains on the data owner's iterator: each batch's features and labels are secret-shared by the data owner
     * (which announces their public shapes), then {@link #fitBatch}. The model owner's initial weights must be in
     * place ({@link #initParameters} or {@link #importModel}). Listeners and the options' step listener hear of every
     * step; the loss is revealed to the data owner only if the options ask for it. With checkpoints, every party
     * writes its own file every {@code checkpointEvery} steps and at the end. Every party calls this together;
     * {@code iteratorAtOwner} is null except at the data owner, which must give the batches in the same order on a
     * resumed run (the batches already done in the interrupted epoch are skipped).
     */
    public void fit(int dataOwner, DataSetIterator iteratorAtOwner, TrainingOptions options) {
        checkParty(dataOwner, "data owner");
        int me = session.party();
        if (me == dataOwner && iteratorAtOwner == null) {
            throw new IllegalArgumentException("party " + me + " is the data owner but passed no iterator");
        }
        for (; epoch < options.epochs(); epoch++) {
            if (me == dataOwner) {
                iteratorAtOwner.reset();
                for (int k = 0; k < batchInEpoch && iteratorAtOwner.hasNext(); k++) {
                    iteratorAtOwner.next();
                }
            }
            listeners.forEach(l -> l.onEpochStart(listenerView));
            while (true) {
                if (options.stopAfterStep() > 0 && step >= options.stopAfterStep()) {
                    return;
                }
                DataSet ds = me == dataOwner && iteratorAtOwner.hasNext() ? iteratorAtOwner.next() : null;
                long t0 = System.nanoTime();
                SharedTensor x = shareOrEnd(dataOwner, ds == null ? null : ds.getFeatures());
                if (x == null) {
                    break;
                }
                SharedTensor y = shareInput(dataOwner, ds == null ? null : ds.getLabels());
                SharedTensor loss = fitBatch(x, y, options.revealLoss());
                double revealed = Double.NaN;
                if (loss != null) {
                    RingTensor v = Sharing.revealTo(session, dataOwner, loss);
                    revealed = v == null ? Double.NaN : fixedPoint.decode(v.getLong(0));
                }
                step++;
                batchInEpoch++;
                int batch = (int) x.shape()[0];
                listenerView.update(revealed, batch);
                for (TrainingListener l : listeners) {
                    l.iterationDone(listenerView, (int) step, epoch);
                }
                if (options.listener() != null) {
                    options.listener().onStep(new TrainingOptions.Progress(step, epoch, batchInEpoch, batch,
                            (System.nanoTime() - t0) / 1e9, session.stats().totalBytesSent(), session.stats().depth(),
                            revealed));
                }
                if (options.checkpointDir() != null && step % options.checkpointEvery() == 0) {
                    writeCheckpoint(options);
                }
            }
            listeners.forEach(l -> l.onEpochEnd(listenerView));
            batchInEpoch = 0;
        }
        if (options.checkpointDir() != null) {
            writeCheckpoint(options);
        }
    }

    /** The data owner shares {@code a}, or announces the end of the data (null there): returns null at the end. */
    private SharedTensor shareOrEnd(int owner, INDArray a) {
        long[] shape = announceShape(owner, a, "data/shape");
        if (shape.length == 0) {
            return null;
        }
        RingTensor v = session.party() == owner ? fixedPoint.encode(a.castTo(DataType.DOUBLE)) : null;
        return Sharing.input(session, owner, v, shape);
    }

    private void writeCheckpoint(TrainingOptions o) {
        Map<String, SharedTensor> params = new java.util.LinkedHashMap<>();
        for (int i : parameterLayers()) {
            layers.get(i).parameters().forEach((k, v) -> params.put(i + "_" + k, v));
        }
        Checkpoint c = new Checkpoint(session.party(), Checkpoint.configHash(conf.toJson()), o.partiesFingerprint(),
                step, epoch, batchInEpoch, session.prgStates(), params, optimizer().state());
        try {
            c.write(o.checkpointDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("party " + session.party() + ": cannot write checkpoint in "
                    + o.checkpointDir(), e);
        }
    }

    /** This network's configuration hash, as checkpoints record it. */
    public byte[] configHash() {
        return Checkpoint.configHash(conf.toJson());
    }

    /**
     * Continues from this party's checkpoint (read with {@link Checkpoint#read}, which checked party, model and
     * parties; the session must have been started with {@code Session.restore} from its PRG states): restores the
     * shares of the parameters and the optimizer state and the step counters, after checking with both peers
     * that all three resume from the same step (one round, 8 bytes).
     */
    public void resumeFrom(Checkpoint c) {
        long[] mine = {c.step()};
        long[] fromNext = new long[1];
        long[] fromPrev = new long[1];
        session.transport().send(session.next(), "train/resume-step", mine);
        session.transport().send(session.prev(), "train/resume-step", mine);
        session.transport().receive(session.prev(), "train/resume-step", fromPrev);
        session.transport().receive(session.next(), "train/resume-step", fromNext);
        if (fromPrev[0] != c.step() || fromNext[0] != c.step()) {
            throw new IllegalStateException("party " + session.party() + " resumes from step " + c.step() + ", party "
                    + session.prev() + " from step " + fromPrev[0] + ", party " + session.next() + " from step "
                    + fromNext[0] + ": start every party with the checkpoints of the same run and step");
        }
        c.parameters().forEach((k, v) -> {
            int sep = k.indexOf('_');
            layers.get(Integer.parseInt(k.substring(0, sep))).setParameter(k.substring(sep + 1), v);
        });
        optimizer().restoreState(c.optimizerState());
        step = c.step();
        epoch = c.epoch();
        batchInEpoch = c.batchInEpoch();
    }

    // ------------------------------------------------------------------------------------------- inference

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

    SharedTensor preprocessBackward(int i, SharedTensor eps) {
        InputPreProcessor p = preprocessors[i];
        if (p == null) {
            return eps;
        }
        int n = (int) eps.shape()[0];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        return new SharedTensor(eps.party(), RingTensor.wrap(p.backprop(eps.first().array(), n, mgr)),
                RingTensor.wrap(p.backprop(eps.second().array(), n, mgr)));
    }

    /** The input of the output layer: every layer but the last, preprocessors included. */
    SharedTensor featuresBeforeOutput(SharedTensor features, boolean training) {
        if (features.party() != session.party()) {
            throw new IllegalArgumentException("party " + session.party() + ": features are a share of party "
                    + features.party());
        }
        SharedTensor a = features;
        for (int i = 0; i < layers.size() - 1; i++) {
            SecureLayer l = layers.get(i);
            SharedTensor x = preprocess(i, a);
            a = timed(l.describe(), "forward", () -> l.forward(x, training));
        }
        return preprocess(layers.size() - 1, a);
    }

    /** The output layer's logits (pre-activation) on shares, scale f. */
    public SharedTensor logits(SharedTensor features) {
        SharedTensor in = featuresBeforeOutput(features, false);
        return timed(outputLayer().describe(), "forward", () -> outputLayer().forward(in, false));
    }

    /**
     * The network's output on shares: the output layer's activation (softmax computed on shares, or the identity
     * for MSE outputs), scale f. Nothing is revealed.
     */
    public SharedTensor output(SharedTensor features) {
        return outputLayer().activate(logits(features));
    }

    /**
     * Reveals the network's prediction for shared features to party {@code receiver} only: the output layer's
     * logits, computed without the last truncation and divided by 2^2f in the clear at the receiver (so the
     * receiver learns the logits at full precision and nothing else), then the output activation applied there
     * (softmax probabilities, or the identity). Returns them at the receiver, {@code null} elsewhere.
     */
    public INDArray output(SharedTensor features, int receiver) {
        checkParty(receiver, "receiver");
        SharedTensor in = featuresBeforeOutput(features, false);
        SharedTensor z = timed(outputLayer().describe(), "forward", () -> outputLayer().logitsForReveal(in));
        RingTensor v = Sharing.revealTo(session, receiver, z);
        if (v == null) {
            return null;
        }
        INDArray logits = fixedPoint.decodeProduct(v);
        return outputConf().isSoftmaxCrossEntropy() ? softmaxRows(logits) : logits;
    }

    /** The logits revealed to {@code receiver} as in {@link #output(SharedTensor, int)}, without the activation. */
    public INDArray revealLogits(SharedTensor features, int receiver) {
        checkParty(receiver, "receiver");
        SharedTensor z = outputLayer().logitsForReveal(featuresBeforeOutput(features, false));
        RingTensor v = Sharing.revealTo(session, receiver, z);
        return v == null ? null : fixedPoint.decodeProduct(v);
    }

    /** The data owner's features, shared and classified, the prediction revealed to {@code receiver} only. */
    public INDArray output(int dataOwner, INDArray featuresAtOwner, int receiver) {
        return output(shareInput(dataOwner, featuresAtOwner), receiver);
    }

    /**
     * Evaluates the network on the data owner's iterator with DL4J's {@link Evaluation} at {@code receiver}: each
     * batch is shared by the data owner (which announces its shape), classified on shares, and the prediction
     * revealed to the receiver only. The labels stay with the data owner when it is the receiver; otherwise the data
     * owner sends the receiver the labels in the clear (its own data, disclosed to the party that evaluates). Returns
     * the evaluation at the receiver, {@code null} elsewhere.
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
            java.util.function.Consumer<INDArray> predictionsAtReceiver) {
        checkParty(dataOwner, "data owner");
        checkParty(receiver, "receiver");
        int me = session.party();
        if (me == dataOwner && iteratorAtOwner == null) {
            throw new IllegalArgumentException("party " + me + " is the data owner but passed no iterator");
        }
        Evaluation eval = me == receiver ? new Evaluation((int) outputConf().getNOut()) : null;
        int batches = 0;
        while (true) {
            DataSet ds = null;
            if (me == dataOwner && (maxBatches <= 0 || batches < maxBatches) && iteratorAtOwner.hasNext()) {
                ds = iteratorAtOwner.next();
            }
            long[] shape = announceShape(dataOwner, ds == null ? null : ds.getFeatures(), "data/shape");
            if (shape.length == 0) {
                return eval;
            }
            RingTensor v = me == dataOwner ? fixedPoint.encode(ds.getFeatures().castTo(DataType.DOUBLE)) : null;
            INDArray predicted = output(Sharing.input(session, dataOwner, v, shape), receiver);
            INDArray labels = null;
            if (receiver == dataOwner) {
                labels = ds == null ? null : ds.getLabels();
            } else if (me == dataOwner) {
                session.transport().send(receiver, "data/labels", labelsAsLongs(ds.getLabels()));
            } else if (me == receiver) {
                long[] raw = session.transport().receive(dataOwner, "data/labels",
                        (int) (shape[0] * outputConf().getNOut()));
                labels = Nd4j.createFromArray(raw).castTo(DataType.FLOAT).reshape(shape[0], outputConf().getNOut());
            }
            if (eval != null) {
                eval.eval(labels.castTo(DataType.FLOAT), predicted.castTo(DataType.FLOAT));
                if (predictionsAtReceiver != null) {
                    predictionsAtReceiver.accept(predicted);
                }
            }
            batches++;
        }
    }

    private static long[] labelsAsLongs(INDArray labels) {
        double[] d = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Math.round(d[i]);
        }
        return out;
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
}
