package org.fastcrypt4j.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.nn.SecureComputationGraph;
import org.fastcrypt4j.nn.SecureConversion;
import org.fastcrypt4j.nn.SecureModel;
import org.fastcrypt4j.nn.SecureMultiLayerNetwork;
import org.fastcrypt4j.nn.network.ModelTransfer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A job's model configuration, whichever DL4J shape it has: a {@link MultiLayerConfiguration} or a
 * {@link ComputationGraphConfiguration} (one network input, one output layer). What the clients and servers need of
 * it: its JSON (a graph's JSON has DL4J's {@code "vertices"}), its secure conversion, the secure network of a session,
 * the shared parameters' names and shapes, the plain model's values under those names, the shape of an input row and
 * the output layer.
 */
public final class ModelConfig {
    private final MultiLayerConfiguration layers;
    private final ComputationGraphConfiguration graph;

    private ModelConfig(MultiLayerConfiguration layers, ComputationGraphConfiguration graph) {
        this.layers = layers;
        this.graph = graph;
    }

    public static ModelConfig of(MultiLayerConfiguration c) {
        return new ModelConfig(c, null);
    }

    public static ModelConfig of(ComputationGraphConfiguration c) {
        return new ModelConfig(null, c);
    }

    /**
     * A configuration from DL4J's JSON of either kind.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static ModelConfig fromJson(String json) {
        try {
            return json.contains("\"vertices\"") ? of(ComputationGraphConfiguration.fromJson(json))
                    : of(MultiLayerConfiguration.fromJson(json));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not DL4J MultiLayerConfiguration or ComputationGraphConfiguration JSON");
        }
    }

    public boolean isGraph() {
        return graph != null;
    }

    /** The multi-layer configuration, or null for a graph. */
    public MultiLayerConfiguration multiLayer() {
        return layers;
    }

    /** The graph configuration, or null for a multi-layer one. */
    public ComputationGraphConfiguration graph() {
        return graph;
    }

    public String toJson() {
        return graph != null ? graph.toJson() : layers.toJson();
    }

    /** The secure configuration (see {@link SecureConversion}); refuses what cannot run on shares. */
    public ModelConfig toSecure() {
        return graph != null ? of(SecureConversion.toSecure(graph)) : of(SecureConversion.toSecure(layers));
    }

    /** The secure network of this (secure) configuration in session {@code s}. */
    public SecureModel newNetwork(Session s) {
        return graph != null ? new SecureComputationGraph(graph, s) : new SecureMultiLayerNetwork(layers, s);
    }

    /** The shared parameters of this (secure) configuration, full name to shape, in the network's order. */
    public LinkedHashMap<String, long[]> parameterShapes() {
        return graph != null ? ModelTransfer.parameterShapes(graph) : ModelTransfer.parameterShapes(layers);
    }

    /** A plain model of this (plain) configuration with DL4J's own initialisation. */
    public Model newPlainModel() {
        if (graph != null) {
            ComputationGraph g = new ComputationGraph(graph.clone());
            g.init();
            return g;
        }
        MultiLayerNetwork n = new MultiLayerNetwork(layers.clone());
        n.init();
        return n;
    }

    /** {@code plain}'s parameters under the names of {@code secure}'s {@link #parameterShapes}. */
    public static Map<String, INDArray> plainValues(ModelConfig secure, Model plain) {
        return secure.graph != null ? ModelTransfer.plainValues(secure.graph, (ComputationGraph) plain)
                : ModelTransfer.plainValues(secure.layers, ((MultiLayerNetwork) plain).getLayers());
    }

    /** Sets {@code plain}'s parameters from values named as by {@link #plainValues}. */
    public static void setPlainValues(ModelConfig secure, Model plain, Map<String, INDArray> values) {
        if (secure.graph != null) {
            ModelTransfer.setPlainValues((ComputationGraph) plain, values);
        } else {
            ModelTransfer.setPlainValues(secure.layers, ((MultiLayerNetwork) plain).getLayers(), values);
        }
    }

    /** The output layer's configuration. */
    public Layer outputLayer() {
        if (graph != null) {
            return ((LayerVertex) graph.getVertices().get(graph.getNetworkOutputs().get(0))).getLayerConf().getLayer();
        }
        return layers.getConf(layers.getConfs().size() - 1).getLayer();
    }

    /** The output layer's classes (nOut). */
    public long classes() {
        return ((FeedForwardLayer) outputLayer()).getNOut();
    }

    /**
     * The shape of one input row when it can tell ({@code null} otherwise): the flat length a FeedForwardToCnn
     * preprocessor of the first layer expects, or the first dense layer's nIn.
     */
    public long[] rowShape() {
        InputPreProcessor p;
        Layer first;
        if (graph != null) {
            String input = graph.getNetworkInputs().get(0);
            List<String> readers = graph.getVertexInputs().entrySet().stream()
                    .filter(e -> e.getValue().contains(input)).map(Map.Entry::getKey).toList();
            if (readers.size() != 1 || !(graph.getVertices().get(readers.get(0)) instanceof LayerVertex lv)) {
                return null;
            }
            p = lv.getPreProcessor();
            first = lv.getLayerConf().getLayer();
        } else {
            p = layers.getInputPreProcess(0);
            first = layers.getConf(0).getLayer();
        }
        if (p instanceof FeedForwardToCnnPreProcessor f) {
            return new long[] {f.getInputHeight() * f.getInputWidth() * f.getNumChannels()};
        }
        if (p == null && first instanceof FeedForwardLayer ff && !(first instanceof ConvolutionLayer)
                && !(first instanceof org.fastcrypt4j.nn.conf.SecureConvolutionLayer)) {
            return new long[] {ff.getNIn()};
        }
        return null;
    }
}
