package org.fastcrypt4j.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.graph.ElementWiseNode;
import org.fastcrypt4j.nn.graph.GraphNode;
import org.fastcrypt4j.nn.graph.LayerNode;
import org.fastcrypt4j.nn.graph.ShapeNode;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.ModelTransfer;
import org.fastcrypt4j.nn.network.PrivateEvaluation;
import org.fastcrypt4j.nn.training.ParameterSet;
import org.fastcrypt4j.nn.training.TrainingLoop;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;

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
public final class SecureComputationGraph extends SecureNetworkBase {

    private final ComputationGraphConfiguration conf;
    private final String input;
    private final List<GraphNode> nodes;
    private final Map<String, List<String>> inputsOf;
    private final Map<String, Integer> readers;
    private final LayerNode outputNode;

    /**
     * @throws UnsupportedConfigurationException listing every vertex that cannot run on shares
     */
    public SecureComputationGraph(ComputationGraphConfiguration conf, Session session) {
        super(session);
        SecureConversion.validate(conf);
        if (conf.getNetworkInputs().size() != 1) {
            throw new UnsupportedConfigurationException("the graph configuration cannot run on shares", List.of(
                    new UnsupportedConfigurationException.Problem("the configuration",
                            conf.getNetworkInputs().size() + " network inputs (one is supported)")));
        }
        this.conf = conf.clone();
        this.input = conf.getNetworkInputs().get(0);
        this.inputsOf = new LinkedHashMap<>(this.conf.getVertexInputs());
        List<String> order = topologicalOrder(this.conf);
        List<org.deeplearning4j.nn.conf.layers.Layer> layerConfs = new ArrayList<>();
        for (String name : order) {
            if (this.conf.getVertices().get(name) instanceof LayerVertex lv) {
                layerConfs.add(lv.getLayerConf().getLayer());
            }
        }
        InputDropout dropout = new InputDropout(session, layerConfs);
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
            } else if (v instanceof org.deeplearning4j.nn.conf.graph.L2NormalizeVertex l2) {
                node = new org.fastcrypt4j.nn.graph.L2NormalizeNode(name, l2.getDimension(), session);
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
        NeuralNetConfiguration outConf = ((LayerVertex) this.conf.getVertices().get(outputNode.name())).getLayerConf();
        wire(new ParameterSet(members), dropout, outConf);
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

    /** The vertices at run time, in the order they run. */
    public List<GraphNode> nodes() {
        return nodes;
    }

    // ------------------------------------------------------------------------------------------- parameters

    /** The plain layers of {@code g} with parameters, in this graph's order of its members. */
    private List<org.deeplearning4j.nn.api.Layer> plainLayers(ComputationGraph g) {
        List<org.deeplearning4j.nn.api.Layer> out = new ArrayList<>();
        for (ParameterSet.Member m : parameters().members()) {
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
        transfer.importParameters(owner, parameters(), session.party() == owner && plainAtOwner != null
                ? plainLayers(plainAtOwner) : null);
    }

    /** The model owner builds the plaintext twin with DL4J's own initialisation and shares it. */
    @Override
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
        transfer.exportParameters(owner, parameters(), twin != null ? plainLayers(twin) : null);
        return twin;
    }

    // ------------------------------------------------------------------------------------------- passes

    /** The output layer's input: every other vertex in order, activations dropped after their last reader. */
    @Override
    protected SharedTensor forwardToOutput(SharedTensor features, boolean training) {
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

    @Override
    protected Consumer<SharedTensor> backwardBelowOutput() {
        return inputsOf.get(outputNode.name()).get(0).equals(input) ? null : this::backwardThroughVertices;
    }

    /** Back-propagates {@code eps} (with respect to the output layer's input) through every vertex below it. */
    private void backwardThroughVertices(SharedTensor eps) {
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

    @Override
    protected SecureOutput outputLayer() {
        return (SecureOutput) outputNode.layer();
    }

    @Override
    protected SecureOutputLayer outputConf() {
        return (SecureOutputLayer) ((LayerVertex) conf.getVertices().get(outputNode.name())).getLayerConf().getLayer();
    }

    @Override
    protected boolean miniBatch() {
        return conf.getDefaultConfiguration().isMiniBatch();
    }

    @Override
    protected String configurationJson() {
        return conf.toJson();
    }
}
