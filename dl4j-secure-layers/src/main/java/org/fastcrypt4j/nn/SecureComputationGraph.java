package org.fastcrypt4j.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.graph.ElementWiseNode;
import org.fastcrypt4j.nn.graph.GraphNode;
import org.fastcrypt4j.nn.graph.LayerNode;
import org.fastcrypt4j.nn.graph.ShapeNode;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.nn.network.InputDropout;
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
 * A DL4J computation graph on secret shares: the counterpart of {@link SecureMultiLayerNetwork} for a
 * {@link ComputationGraphConfiguration} converted by {@link SecureConversion#toSecure(ComputationGraphConfiguration)}
 * (or built with secure layers). Vertices run in topological order ({@link LayerNode} with its preprocessor and
 * dropout, {@link ElementWiseNode}, {@link ShapeNode}); an activation is dropped as soon as no later vertex reads it;
 * backward runs in reverse order, summing the gradients of a vertex read by several (local). One network input and
 * one output layer (the output layer's loss as in the multi-layer network). Training, checkpoints, listeners,
 * private predictions and DL4J's {@link Evaluation} go through the same parts as the multi-layer network
 * ({@link TrainingLoop}, {@link ModelTransfer}, {@link PrivateEvaluation}). Nothing is opened but at the calls that
 * say so.
 */
public final class SecureComputationGraph implements SecureModel {

    private final ComputationGraphConfiguration conf;
    private final Session session;
    private final FixedPoint fixedPoint;
    private final String input;
    private final List<GraphNode> nodes;
    private final Map<String, List<String>> inputsOf;
    private final Map<String, Integer> readers;
    private final LayerNode outputNode;
    private final ParameterSet parameters;
    private final PassTimer timer;
    private final InputDropout dropout;
    private final DataOwnerInput dataInput;
    private final ModelTransfer transfer;
    private final TrainingLoop loop;
    private SecureOptimizer optimizer;

    /**
     * @throws UnsupportedConfigurationException listing every vertex that cannot run on shares
     */
    public SecureComputationGraph(ComputationGraphConfiguration conf, Session session) {
        this.session = Objects.requireNonNull(session, "session: secure graphs run inside a three-party session");
        SecureConversion.validate(conf);
        if (conf.getNetworkInputs().size() != 1) {
            throw new UnsupportedConfigurationException("the graph configuration cannot run on shares", List.of(
                    new UnsupportedConfigurationException.Problem("the configuration",
                            conf.getNetworkInputs().size() + " network inputs (one is supported)")));
        }
        this.conf = conf.clone();
        this.fixedPoint = FixedPoint.withFractionalBits(session.fractionalBits());
        this.input = conf.getNetworkInputs().get(0);
        this.inputsOf = new LinkedHashMap<>(this.conf.getVertexInputs());
        List<String> order = topologicalOrder(this.conf);
        List<org.deeplearning4j.nn.conf.layers.Layer> layerConfs = new ArrayList<>();
        for (String name : order) {
            if (this.conf.getVertices().get(name) instanceof LayerVertex lv) {
                layerConfs.add(lv.getLayerConf().getLayer());
            }
        }
        dropout = new InputDropout(session, layerConfs);
        List<GraphNode> ns = new ArrayList<>();
        List<ParameterSet.Member> members = new ArrayList<>();
        int layerIndex = 0;
        LayerNode out = null;
        for (String name : order) {
            GraphVertex v = this.conf.getVertices().get(name);
            GraphNode node;
            if (v instanceof LayerVertex lv) {
                NeuralNetConfiguration c = lv.getLayerConf();
                SecureLayer layer = (SecureLayer) c.getLayer().instantiate(c, Collections.emptyList(), layerIndex, null,
                        false, DataType.FLOAT);
                layer.bind(session);
                LayerNode ln = new LayerNode(name, layer, lv.getPreProcessor(), dropout, layerIndex++);
                members.add(new ParameterSet.Member(name, layer, c.getLayer()));
                if (this.conf.getNetworkOutputs().contains(name)) {
                    out = ln;
                }
                node = ln;
            } else if (v instanceof ElementWiseVertex e) {
                node = new ElementWiseNode(name, e.getOp(), session);
            } else if (v instanceof org.deeplearning4j.nn.conf.graph.L2NormalizeVertex) {
                node = new org.fastcrypt4j.nn.graph.L2NormalizeNode(name, session);
            } else {
                node = new ShapeNode(name, v, session);
            }
            ns.add(node);
        }
        nodes = Collections.unmodifiableList(ns);
        outputNode = out;
        readers = new HashMap<>();
        for (List<String> ins : inputsOf.values()) {
            for (String s : ins) {
                readers.merge(s, 1, Integer::sum);
            }
        }
        parameters = new ParameterSet(members);
        timer = new PassTimer(session);
        dataInput = new DataOwnerInput(session, fixedPoint);
        transfer = new ModelTransfer(session, fixedPoint);
        NeuralNetConfiguration outConf = ((LayerVertex) this.conf.getVertices().get(outputNode.name())).getLayerConf();
        loop = new TrainingLoop(session, this, dataInput, fixedPoint, outConf);
    }

    /** Kahn's order over the vertices (ties in the configuration's order), the network input first and left out. */
    public static List<String> topologicalOrder(ComputationGraphConfiguration c) {
        Map<String, Integer> pending = new LinkedHashMap<>();
        Map<String, List<String>> readersOf = new HashMap<>();
        for (String v : c.getVertices().keySet()) {
            List<String> ins = c.getVertexInputs().getOrDefault(v, List.of());
            int n = 0;
            for (String s : ins) {
                if (!c.getNetworkInputs().contains(s)) {
                    n++;
                    readersOf.computeIfAbsent(s, k -> new ArrayList<>()).add(v);
                }
            }
            pending.put(v, n);
        }
        Deque<String> ready = new ArrayDeque<>();
        pending.forEach((v, n) -> {
            if (n == 0) {
                ready.add(v);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String v = ready.poll();
            order.add(v);
            for (String r : readersOf.getOrDefault(v, List.of())) {
                if (pending.merge(r, -1, Integer::sum) == 0) {
                    ready.add(r);
                }
            }
        }
        if (order.size() != c.getVertices().size()) {
            throw new IllegalArgumentException("the graph configuration has a cycle or reads a vertex it does not"
                    + " define");
        }
        return order;
    }

    public ComputationGraphConfiguration getConfiguration() {
        return conf.clone();
    }

    public Session session() {
        return session;
    }

    /** The vertices at run time, in the order they run. */
    public List<GraphNode> nodes() {
        return nodes;
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

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

    private SecureOutput outputLayer() {
        return (SecureOutput) outputNode.layer();
    }

    private SecureOutputLayer outputConf() {
        return (SecureOutputLayer) ((LayerVertex) conf.getVertices().get(outputNode.name())).getLayerConf().getLayer();
    }

    // ------------------------------------------------------------------------------------------- parameters

    /** The plain layers of {@code g} with parameters, in this graph's order of its members. */
    private List<org.deeplearning4j.nn.api.Layer> plainLayers(ComputationGraph g) {
        List<org.deeplearning4j.nn.api.Layer> out = new ArrayList<>();
        for (ParameterSet.Member m : parameters.members()) {
            org.deeplearning4j.nn.api.Layer l = g.getLayer(m.name());
            if (l == null) {
                throw new IllegalArgumentException("the model owner's graph has no layer '" + m.name() + "'");
            }
            out.add(l);
        }
        return out;
    }

    /**
     * The model owner secret-shares the parameters of its plain graph ({@code plainAtOwner} at party {@code owner},
     * null elsewhere): by layer name, in DL4J's layouts ({@link ModelTransfer}).
     */
    public void importModel(int owner, ComputationGraph plainAtOwner) {
        checkParty(owner, "model owner");
        transfer.importParameters(owner, parameters, session.party() == owner && plainAtOwner != null
                ? plainLayers(plainAtOwner) : null);
    }

    /** The model owner builds the plaintext twin with DL4J's own initialisation and shares it. */
    public void initParameters(int owner) {
        ComputationGraph twin = null;
        if (session.party() == owner) {
            twin = new ComputationGraph(SecureConversion.toPlain(conf));
            twin.init();
        }
        importModel(owner, twin);
    }

    /** Reveals the parameters to the model owner only, as a plain graph of the twin configuration; null elsewhere. */
    public ComputationGraph exportModel(int owner) {
        checkParty(owner, "model owner");
        ComputationGraph twin = null;
        if (session.party() == owner) {
            twin = new ComputationGraph(SecureConversion.toPlain(conf));
            twin.init();
        }
        transfer.exportParameters(owner, parameters, twin != null ? plainLayers(twin) : null);
        return twin;
    }

    /** The data owner secret-shares a batch of features ({@link SecureMultiLayerNetwork#shareInput}). */
    public SharedTensor shareInput(int owner, INDArray featuresAtOwner) {
        checkParty(owner, "data owner");
        return dataInput.share(owner, featuresAtOwner, "feature");
    }

    // ------------------------------------------------------------------------------------------- passes

    /** The output layer's input: every other vertex in order, activations dropped after their last reader. */
    private SharedTensor forwardToOutput(SharedTensor features, boolean training) {
        checkOwnShare(features);
        Map<String, SharedTensor> act = new HashMap<>();
        Map<String, Integer> left = new HashMap<>(readers);
        act.put(input, features);
        for (GraphNode node : nodes) {
            List<String> ins = inputsOf.get(node.name());
            SharedTensor[] x = new SharedTensor[ins.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = act.get(ins.get(j));
                if (left.merge(ins.get(j), -1, Integer::sum) == 0) {
                    act.remove(ins.get(j));
                }
            }
            if (node == outputNode) {
                return outputNode.layerInput(x[0], training);
            }
            act.put(node.name(), timer.timed(node.describe(), "forward", () -> node.forward(x, training)));
        }
        throw new IllegalStateException("the output layer '" + outputNode.name() + "' was not reached");
    }

    /** Back-propagates {@code eps} (with respect to the output layer's input) through every vertex below it. */
    private void backwardBelowOutput(SharedTensor eps) {
        Map<String, SharedTensor> grads = new HashMap<>();
        grads.put(inputsOf.get(outputNode.name()).get(0), outputNode.vertexInputGradient(eps));
        for (int k = nodes.size() - 1; k >= 0; k--) {
            GraphNode node = nodes.get(k);
            SharedTensor e = grads.remove(node.name());
            if (node == outputNode || e == null) {
                continue;
            }
            List<String> ins = inputsOf.get(node.name());
            boolean[] need = new boolean[ins.size()];
            for (int j = 0; j < need.length; j++) {
                need[j] = !ins.get(j).equals(input);
            }
            SharedTensor[][] holder = new SharedTensor[1][];
            timer.timed(node.describe(), "backward", () -> {
                holder[0] = node.backward(e, need);
                return null;
            });
            SharedTensor[] dx = holder[0];
            for (int j = 0; j < need.length; j++) {
                if (need[j] && dx[j] != null) {
                    grads.merge(ins.get(j), dx[j], SharedTensor::add);
                }
            }
        }
    }

    /** Profiles every vertex pass from now on (null: stop). */
    public void setProfiler(org.fastcrypt4j.nn.network.LayerProfiler p) {
        timer.setProfiler(p);
    }

    // ------------------------------------------------------------------------------------------- training

    public void setListeners(TrainingListener... ls) {
        loop.setListeners(ls);
    }

    /** Tells {@code l} of every dropout mask drawn in training (null: stop); layers are numbered in run order. */
    public void setDropoutMaskListener(InputDropout.MaskListener l) {
        dropout.setListener(l);
    }

    public long step() {
        return loop.step();
    }

    @Override
    public SharedTensor fitBatch(SharedTensor features, SharedTensor labels, boolean withLoss) {
        TrainingStep.Net net = new TrainingStep.Net(session, timer, outputLayer(), dropout, parameters, optimizer(),
                conf.getDefaultConfiguration().isMiniBatch());
        boolean below = !inputsOf.get(outputNode.name()).get(0).equals(input);
        return TrainingStep.run(net, loop.step(), loop.epoch(), features, labels, withLoss,
                x -> forwardToOutput(x, true), below ? this::backwardBelowOutput : null);
    }

    /** Trains on the data owner's iterator ({@link SecureMultiLayerNetwork#fit(int, DataSetIterator, TrainingOptions)}). */
    public void fit(int dataOwner, DataSetIterator iteratorAtOwner, TrainingOptions options) {
        checkParty(dataOwner, "data owner");
        loop.fit(dataOwner, iteratorAtOwner, options);
    }

    /** Trains on batches that are already shares. */
    public void fit(TrainingData data, TrainingOptions options) {
        loop.fit(data, options);
    }

    /** Continues from this party's checkpoint ({@link TrainingLoop#resumeFrom}). */
    public void resumeFrom(Checkpoint c) {
        loop.resumeFrom(c);
    }

    // ------------------------------------------------------------------------------------------- inference

    /** The output layer's logits on shares, scale f. */
    public SharedTensor logits(SharedTensor features) {
        SharedTensor in = forwardToOutput(features, false);
        return timer.timed(outputLayer().describe(), "forward", () -> outputLayer().forward(in, false));
    }

    /** The graph's output on shares (softmax on shares, or an MSE output's activation). Nothing is revealed. */
    public SharedTensor output(SharedTensor features) {
        return outputLayer().activate(logits(features));
    }

    /** The logits at scale 2f without their last truncation, for a client outside the parties. */
    public SharedTensor logitsForClient(SharedTensor features) {
        SharedTensor in = forwardToOutput(features, false);
        return timer.timed(outputLayer().describe(), "forward", () -> outputLayer().logitsForReveal(in));
    }

    /** Whether the output layer is softmax with cross-entropy. */
    public boolean softmaxOutput() {
        return outputConf().isSoftmaxCrossEntropy();
    }

    /**
     * The prediction revealed to {@code receiver} only, as {@link SecureMultiLayerNetwork#output(SharedTensor, int)}:
     * the logits without their last truncation, the output activation applied there; null elsewhere.
     */
    public INDArray output(SharedTensor features, int receiver) {
        checkParty(receiver, "receiver");
        SharedTensor z = logitsForClient(features);
        RingTensor v = Sharing.revealTo(session, receiver, z);
        if (v == null) {
            return null;
        }
        INDArray logits = fixedPoint.decodeProduct(v);
        return outputConf().isSoftmaxCrossEntropy() ? SecureMultiLayerNetwork.softmaxRows(logits)
                : outputConf().getActivationFn().getActivation(logits, false);   // a public function, at the receiver
    }

    /** Evaluates on the data owner's iterator with DL4J's {@link Evaluation} at {@code receiver}; null elsewhere. */
    public Evaluation evaluate(int dataOwner, DataSetIterator iteratorAtOwner, int receiver, int maxBatches,
            Consumer<INDArray> predictionsAtReceiver) {
        checkParty(dataOwner, "data owner");
        checkParty(receiver, "receiver");
        return new PrivateEvaluation(session, dataInput).evaluate(dataOwner, iteratorAtOwner, receiver, maxBatches,
                this::output, (int) outputConf().getNOut(), predictionsAtReceiver);
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
}
