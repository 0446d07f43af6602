package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.fastcrypt4j.nn.UnsupportedConfigurationException.Problem;
import org.fastcrypt4j.nn.conf.SecureLayerConf;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;

/**
 * {@link SecureConversion} for DL4J's {@link ComputationGraphConfiguration}: each layer vertex's layer converted as in a
 * multi-layer configuration (a fused activation becomes its own layer vertex {@code "<name>/<activation>"}, and the
 * vertices that read the layer read that one), the parameter-free vertices the secure graph runs kept as DL4J's own
 * configurations: {@link ElementWiseVertex} (Add, Subtract, Product, Average, Max), {@link MergeVertex},
 * {@link SubsetVertex}, {@link PreprocessorVertex}, {@link ScaleVertex}, {@link ShiftVertex}. Anything else is
 * refused with the other problems in one error, grouped by cause.
 */
final class GraphConversion {
    private GraphConversion() {
    }

    /** Why a parameter-free vertex cannot run on shares, or null. */
    static String vertexProblem(GraphVertex v) {
        if (v instanceof L2NormalizeVertex n) {
            int[] d = n.getDimension();
            boolean allButFirst = d == null || java.util.stream.IntStream.range(0, d.length).allMatch(i -> d[i] == i + 1);
            return allButFirst ? null : "L2 normalization over dimensions " + java.util.Arrays.toString(d)
                    + " not supported (every dimension but the first: the default, or [1], [1, 2], [1, 2, 3])";
        }
        if (v instanceof ElementWiseVertex || v instanceof MergeVertex || v instanceof SubsetVertex
                || v instanceof PreprocessorVertex || v instanceof ScaleVertex || v instanceof ShiftVertex) {
            if (v instanceof MergeVertex m && m.getMergeAxis() != MergeVertex.DEFAULT_MERGE_DIM) {
                return "merge axis " + m.getMergeAxis() + " not supported (1: features or channels)";
            }
            return null;
        }
        return "vertex type " + v.getClass().getSimpleName() + " not supported (layers, ElementWise, Merge, Subset,"
                + " Preprocessor, Scale, Shift, L2Normalize)";
    }

    /**
     * DL4J's ending of a softmax {@code ActivationLayer} read only by an identity {@code LossLayer} with cross-entropy
     * (SqueezeNet, Darknet19) as one loss layer with softmax, which computes the same: a copy of {@code plain} with
     * the activation vertex removed; {@code plain} itself when there is none.
     */
    static ComputationGraphConfiguration fuseSoftmaxIntoLoss(ComputationGraphConfiguration plain) {
        ComputationGraphConfiguration out = null;
        for (String name : new ArrayList<>(plain.getVertices().keySet())) {
            ComputationGraphConfiguration c = out == null ? plain : out;
            if (!(c.getVertices().get(name) instanceof LayerVertex lv)
                    || !(lv.getLayerConf().getLayer() instanceof LossLayer loss)
                    || !(loss.getLossFn() instanceof LossMCXENT) || !(loss.getActivationFn() instanceof ActivationIdentity)) {
                continue;
            }
            List<String> in = c.getVertexInputs().get(name);
            String act = in.size() == 1 ? in.get(0) : null;
            if (act == null || !(c.getVertices().get(act) instanceof LayerVertex av)
                    || !(av.getLayerConf().getLayer() instanceof ActivationLayer a)
                    || !(a.getActivationFn() instanceof ActivationSoftmax) || readers(c, act) != 1
                    || c.getNetworkOutputs().contains(act)) {
                continue;
            }
            if (out == null) {
                out = plain.clone();
                c = out;
                lv = (LayerVertex) c.getVertices().get(name);
            }
            ((LossLayer) lv.getLayerConf().getLayer()).setActivationFn(new ActivationSoftmax());
            Map<String, GraphVertex> vertices = new LinkedHashMap<>(c.getVertices());
            vertices.remove(act);
            Map<String, List<String>> inputs = new LinkedHashMap<>(c.getVertexInputs());
            inputs.put(name, new ArrayList<>(inputs.remove(act)));
            c.setVertices(vertices);
            c.setVertexInputs(inputs);
            c.setTopologicalOrder(null);
            c.setTopologicalOrderStr(null);
        }
        return out == null ? plain : out;
    }

    private static int readers(ComputationGraphConfiguration c, String vertex) {
        int n = 0;
        for (List<String> ins : c.getVertexInputs().values()) {
            for (String s : ins) {
                n += s.equals(vertex) ? 1 : 0;
            }
        }
        return n;
    }

    static ComputationGraphConfiguration toSecure(ComputationGraphConfiguration original) {
        ComputationGraphConfiguration plain = fuseSoftmaxIntoLoss(original);
        List<Problem> problems = new ArrayList<>();
        Map<String, GraphVertex> vertices = new LinkedHashMap<>();
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        Map<String, String> readAs = new LinkedHashMap<>();   // a split layer is read through its activation vertex
        List<String> order = plain.getTopologicalOrderStr() != null ? plain.getTopologicalOrderStr()
                : new ArrayList<>(plain.getVertices().keySet());
        int index = 0;
        for (String name : order) {
            GraphVertex v = plain.getVertices().get(name);
            if (v == null) {
                continue;   // a network input
            }
            List<String> in = plain.getVertexInputs().get(name);
            if (v instanceof LayerVertex lv) {
                NeuralNetConfiguration c = lv.getLayerConf();
                Layer layer = c.getLayer();
                int before = problems.size();
                SecureConversion.checkCommon(index, layer, problems);
                boolean output = plain.getNetworkOutputs().contains(name);
                List<Layer> secure = LayerConversions.convert(index, layer, output, problems);
                index++;
                if (problems.size() > before) {
                    continue;
                }
                String previous = null;
                for (int k = 0; k < secure.size(); k++) {
                    Layer l = secure.get(k);
                    String vertexName = k == 0 ? name : l.getLayerName();
                    if (k == 0) {
                        l.setLayerName(name);
                    }
                    NeuralNetConfiguration copy = c.clone();
                    copy.setLayer(l);
                    LayerVertex vertex = new LayerVertex(copy, k == 0 && lv.getPreProcessor() != null
                            ? lv.getPreProcessor().clone() : null);
                    vertex.setOutputVertex(k == 0 && lv.isOutputVertex());
                    vertices.put(vertexName, vertex);
                    inputs.put(vertexName, k == 0 ? new ArrayList<>(in) : List.of(previous));
                    previous = vertexName;
                }
                readAs.put(name, previous);
            } else {
                String why = vertexProblem(v);
                if (why != null) {
                    problems.add(new Problem("vertex '" + name + "'", why));
                    continue;
                }
                vertices.put(name, v.clone());
                inputs.put(name, new ArrayList<>(in));
            }
        }
        if (plain.getNetworkOutputs().size() != 1) {
            problems.add(new Problem("the configuration", plain.getNetworkOutputs().size()
                    + " network outputs (the secure graph has exactly one output layer)"));
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedConfigurationException("cannot convert the graph configuration to a secure one",
                    problems);
        }
        for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
            List<String> mapped = new ArrayList<>();
            for (String s : e.getValue()) {
                mapped.add(e.getKey().equals(readAs.get(s)) || !readAs.containsKey(s) ? s : readAs.get(s));
            }
            e.setValue(mapped);
        }
        ComputationGraphConfiguration out = plain.clone();
        out.setVertices(vertices);
        out.setVertexInputs(inputs);
        out.setTopologicalOrder(null);
        out.setTopologicalOrderStr(null);
        return out;
    }

    static ComputationGraphConfiguration toPlain(ComputationGraphConfiguration secure) {
        validate(secure);
        Map<String, GraphVertex> vertices = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : secure.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (v instanceof LayerVertex lv) {
                NeuralNetConfiguration copy = lv.getLayerConf().clone();
                copy.setLayer(((SecureLayerConf) copy.getLayer()).toPlain());
                LayerVertex plain = new LayerVertex(copy, lv.getPreProcessor() == null ? null
                        : lv.getPreProcessor().clone());
                plain.setOutputVertex(lv.isOutputVertex());
                vertices.put(e.getKey(), plain);
            } else {
                vertices.put(e.getKey(), v.clone());
            }
        }
        ComputationGraphConfiguration out = secure.clone();
        out.setVertices(vertices);
        out.setTopologicalOrder(null);
        out.setTopologicalOrderStr(null);
        return out;
    }

    static void validate(ComputationGraphConfiguration secure) {
        List<Problem> problems = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, GraphVertex> e : secure.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (v instanceof LayerVertex lv) {
                Layer l = lv.getLayerConf().getLayer();
                if (!(l instanceof SecureLayerConf)) {
                    problems.add(SecureConversion.problem(index, l, "not a secure layer (convert the configuration"
                            + " with SecureConversion.toSecure, or use the Secure* layers)"));
                } else {
                    SecureConversion.checkCommon(index, l, problems);
                    boolean output = secure.getNetworkOutputs().contains(e.getKey());
                    if (output != (l instanceof SecureOutputLayer)) {
                        problems.add(SecureConversion.problem(index, l, output
                                ? "a network output must be a SecureOutputLayer"
                                : "a SecureOutputLayer must be a network output"));
                    }
                }
                index++;
            } else {
                String why = vertexProblem(v);
                if (why != null) {
                    problems.add(new Problem("vertex '" + e.getKey() + "'", why));
                }
            }
        }
        if (secure.getNetworkOutputs().size() != 1) {
            problems.add(new Problem("the configuration", secure.getNetworkOutputs().size()
                    + " network outputs (the secure graph has exactly one output layer)"));
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedConfigurationException("the graph configuration cannot run on shares", problems);
        }
    }
}
