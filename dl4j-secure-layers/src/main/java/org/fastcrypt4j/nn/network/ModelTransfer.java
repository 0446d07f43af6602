package org.fastcrypt4j.nn.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.training.ParameterSet;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves a model between the model owner's plain DL4J layers and the parties' shares. The plain layers with
 * parameters map in order onto the members of the {@link ParameterSet} (inserted ReLU layers have none), with the
 * same DL4J layouts; shapes are checked at the owner. Batch normalization's running variance is {@code var} on
 * shares whatever DL4J's layer stores ({@link PlainParameters} converts DL4J's default {@code log10stdev}).
 *
 * <p>Import: the owner secret-shares every parameter, the others receive one uniformly random component per value
 * (8 bytes per parameter from the owner, one round per parameter tensor). Export: every parameter is revealed to
 * the owner only (8 bytes per parameter from one party, one round per tensor); the others learn nothing.
 */
public final class ModelTransfer {
    private final Session session;
    private final FixedPoint fixedPoint;

    public ModelTransfer(Session session, FixedPoint fixedPoint) {
        this.session = session;
        this.fixedPoint = fixedPoint;
    }

    /** The layers of a plain network that have parameters, in order. */
    public static List<Layer> withParameters(Layer[] layers) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l.numParams() > 0) {
                out.add(l);
            }
        }
        return out;
    }

    /** The owner shares {@code plainAtOwner}'s parameters (its layers with parameters; null at the others). */
    public void importParameters(int owner, ParameterSet targets, List<Layer> plainAtOwner) {
        if (session.party() == owner) {
            check(targets, plainAtOwner);
        }
        for (int k = 0; k < targets.members().size(); k++) {
            ParameterSet.Member m = targets.members().get(k);
            for (Map.Entry<String, long[]> e : m.shapes().entrySet()) {
                RingTensor value = null;
                if (session.party() == owner) {
                    INDArray p = PlainParameters.get(plainAtOwner.get(k), e.getKey());
                    value = fixedPoint.encode(p.castTo(DataType.DOUBLE).reshape(e.getValue()));
                }
                m.layer().setParameter(e.getKey(), Sharing.input(session, owner, value, e.getValue()));
            }
        }
    }

    /** Reveals every parameter to the owner only, into {@code targetsAtOwner} there (null at the others). */
    public void exportParameters(int owner, ParameterSet sources, List<Layer> targetsAtOwner) {
        if (session.party() == owner) {
            check(sources, targetsAtOwner);
        }
        for (int k = 0; k < sources.members().size(); k++) {
            for (Map.Entry<String, SharedTensor> e : sources.members().get(k).layer().parameters().entrySet()) {
                RingTensor v = Sharing.revealTo(session, owner, e.getValue());
                if (v != null) {
                    PlainParameters.set(targetsAtOwner.get(k), e.getKey(), fixedPoint.decode(v, DataType.DOUBLE));
                }
            }
        }
    }

    private void check(ParameterSet secure, List<Layer> plain) {
        if (plain == null) {
            throw new IllegalArgumentException("party " + session.party() + " is the model owner but passed no model");
        }
        if (plain.size() != secure.members().size()) {
            throw new IllegalArgumentException("party " + session.party() + ": the plain model has " + plain.size()
                    + " layers with parameters, the secure configuration " + secure.members().size());
        }
        for (int k = 0; k < plain.size(); k++) {
            ParameterSet.Member m = secure.members().get(k);
            for (Map.Entry<String, long[]> e : m.shapes().entrySet()) {
                INDArray p = PlainParameters.get(plain.get(k), e.getKey());
                if (p == null || p.length() != Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)) {
                    throw new IllegalArgumentException("party " + session.party() + ": parameter '" + e.getKey()
                            + "' of " + m.layer().describe() + " has shape " + Arrays.toString(e.getValue())
                            + ", the plain model's is " + (p == null ? "missing" : Arrays.toString(p.shape())));
                }
            }
        }
    }

    /**
     * The parameters of a secure configuration in the order a {@link ParameterSet} names them ({@code <layer>_<key>},
     * W before b), with their share shapes: what a client outside the servers uploads and downloads.
     */
    public static java.util.LinkedHashMap<String, long[]> parameterShapes(
            org.deeplearning4j.nn.conf.MultiLayerConfiguration secureConf) {
        java.util.LinkedHashMap<String, long[]> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < secureConf.getConfs().size(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer l = secureConf.getConf(i).getLayer();
            for (Map.Entry<String, long[]> e : org.fastcrypt4j.nn.conf.SecureParamInitializer.shareShapes(l).entrySet()) {
                out.put(i + "_" + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * The plain network's parameters under the names and shapes of {@link #parameterShapes} (its layers with
     * parameters map in order onto the secure configuration's, as for {@link #importParameters}).
     *
     * @throws IllegalArgumentException if the plain network does not fit the configuration
     */
    public static java.util.LinkedHashMap<String, INDArray> plainValues(
            org.deeplearning4j.nn.conf.MultiLayerConfiguration secureConf, Layer[] plainLayers) {
        java.util.LinkedHashMap<String, long[]> shapes = parameterShapes(secureConf);
        List<Layer> plain = withParameters(plainLayers);
        java.util.LinkedHashMap<String, INDArray> out = new java.util.LinkedHashMap<>();
        List<String> layerNames = shapes.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('_'))).distinct()
                .toList();
        if (layerNames.size() != plain.size()) {
            throw new IllegalArgumentException("the plain model has " + plain.size() + " layers with parameters, the"
                    + " configuration " + layerNames.size());
        }
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            Layer l = plain.get(layerNames.indexOf(name.substring(0, name.lastIndexOf('_'))));
            INDArray p = PlainParameters.get(l, name.substring(name.lastIndexOf('_') + 1));
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (p == null || p.length() != n) {
                throw new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(e.getValue())
                        + ", the plain model's is " + (p == null ? "missing" : Arrays.toString(p.shape())));
            }
            out.put(name, p.castTo(DataType.DOUBLE).reshape(e.getValue()));
        }
        return out;
    }

    /** Sets the plain network's parameters from values named as by {@link #plainValues}. */
    public static void setPlainValues(org.deeplearning4j.nn.conf.MultiLayerConfiguration secureConf, Layer[] plainLayers,
            Map<String, INDArray> values) {
        java.util.LinkedHashMap<String, INDArray> current = plainValues(secureConf, plainLayers);
        List<Layer> plain = withParameters(plainLayers);
        List<String> layerNames = current.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('_'))).distinct()
                .toList();
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            String name = e.getKey();
            Layer l = plain.get(layerNames.indexOf(name.substring(0, name.lastIndexOf('_'))));
            PlainParameters.set(l, name.substring(name.lastIndexOf('_') + 1), e.getValue());
        }
    }

    /**
     * A secure graph's parameters, {@code "<vertex>_<key>"} to shape, in the graph's run order (as its
     * {@link ParameterSet} names them).
     */
    public static java.util.LinkedHashMap<String, long[]> parameterShapes(
            org.deeplearning4j.nn.conf.ComputationGraphConfiguration secureConf) {
        java.util.LinkedHashMap<String, long[]> out = new java.util.LinkedHashMap<>();
        for (String v : org.fastcrypt4j.nn.SecureComputationGraph.topologicalOrder(secureConf)) {
            if (secureConf.getVertices().get(v) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                for (Map.Entry<String, long[]> e : org.fastcrypt4j.nn.conf.SecureParamInitializer
                        .shareShapes(lv.getLayerConf().getLayer()).entrySet()) {
                    out.put(v + "_" + e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /** A plain graph's parameters under the names and shapes of {@link #parameterShapes(org.deeplearning4j.nn.conf.ComputationGraphConfiguration)}, by layer name. */
    public static java.util.LinkedHashMap<String, INDArray> plainValues(
            org.deeplearning4j.nn.conf.ComputationGraphConfiguration secureConf,
            org.deeplearning4j.nn.graph.ComputationGraph plain) {
        java.util.LinkedHashMap<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : parameterShapes(secureConf).entrySet()) {
            String name = e.getKey();
            Layer l = graphLayer(plain, name);
            INDArray p = PlainParameters.get(l, name.substring(name.lastIndexOf('_') + 1));
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (p == null || p.length() != n) {
                throw new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(e.getValue())
                        + ", the plain graph's is " + (p == null ? "missing" : Arrays.toString(p.shape())));
            }
            out.put(name, p.castTo(DataType.DOUBLE).reshape(e.getValue()));
        }
        return out;
    }

    /** Sets a plain graph's parameters from values named as by {@link #plainValues(org.deeplearning4j.nn.conf.ComputationGraphConfiguration, org.deeplearning4j.nn.graph.ComputationGraph)}. */
    public static void setPlainValues(org.deeplearning4j.nn.graph.ComputationGraph plain, Map<String, INDArray> values) {
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            String name = e.getKey();
            PlainParameters.set(graphLayer(plain, name), name.substring(name.lastIndexOf('_') + 1), e.getValue());
        }
    }

    private static Layer graphLayer(org.deeplearning4j.nn.graph.ComputationGraph plain, String parameter) {
        String vertex = parameter.substring(0, parameter.lastIndexOf('_'));
        Layer l = plain.getLayer(vertex);
        if (l == null) {
            throw new IllegalArgumentException("the plain graph has no layer '" + vertex + "'");
        }
        return l;
    }
}
