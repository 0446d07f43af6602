package org.fastcrypt4j.nn.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureBatchNormalizationLayer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The secret-shared parameters of a network's layers under one naming, {@code <layer name>_<key>} ("0_W", "conv1_b"):
 * what the optimizer updates, a checkpoint stores and a resume restores, the same for a multi-layer network (layers
 * named by index) and a computation graph (by vertex name). Only layers with parameters are members, in order.
 */
public final class ParameterSet {

    /** A layer with parameters: its name, runtime layer and configuration. */
    public record Member(String name, SecureLayer layer, Layer conf) {
        /** The shapes of its shared parameters, by key (W, then b). */
        public Map<String, long[]> shapes() {
            return SecureParamInitializer.shareShapes(conf);
        }
    }

    private final List<Member> members;

    /** The members among {@code candidates}: those whose configuration declares parameters. */
    public ParameterSet(List<Member> candidates) {
        List<Member> m = new ArrayList<>();
        for (Member c : candidates) {
            if (!SecureParamInitializer.shareShapes(c.conf()).isEmpty()) {
                m.add(c);
            }
        }
        members = Collections.unmodifiableList(m);
    }

    public List<Member> members() {
        return members;
    }

    /** Every parameter, by full name. */
    public Map<String, SharedTensor> parameters() {
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (Member m : members) {
            m.layer().parameters().forEach((k, v) -> out.put(m.name() + "_" + k, v));
        }
        return out;
    }

    /** Every parameter's gradient from the last backward pass, by full name. */
    public Map<String, SharedTensor> gradients() {
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (Member m : members) {
            m.layer().gradients().forEach((k, v) -> out.put(m.name() + "_" + k, v));
        }
        return out;
    }

    /**
     * Replaces the named parameters (shapes checked by the layers).
     *
     * @throws IllegalArgumentException naming an unknown parameter
     */
    public void set(Map<String, SharedTensor> values) {
        Map<String, Member> byName = new LinkedHashMap<>();
        members.forEach(m -> byName.put(m.name(), m));
        values.forEach((full, v) -> {
            int sep = full.lastIndexOf('_');
            Member m = sep < 0 ? null : byName.get(full.substring(0, sep));
            if (m == null) {
                throw new IllegalArgumentException("no parameter '" + full + "' in this network");
            }
            m.layer().setParameter(full.substring(sep + 1), v);
        });
    }

    /**
     * An optimizer with every trained parameter registered with its layer's update rule: the updater (the bias
     * updater for biases), the regularization (the bias regularization for biases) and the layer's gradient
     * normalization. Batch normalization as DL4J's: gamma and beta with the layer's updater and no regularization;
     * its running statistics are not registered ({@link SecureParamInitializer#isTrained}), so the optimizer leaves
     * them as the layer set them.
     */
    public SecureOptimizer newOptimizer() {
        SecureOptimizer o = new SecureOptimizer();
        for (Member m : members) {
            BaseLayer l = (BaseLayer) m.conf();
            boolean batchNorm = l instanceof SecureBatchNormalizationLayer;
            for (String key : m.shapes().keySet()) {
                if (!SecureParamInitializer.isTrained(l, key)) {
                    continue;
                }
                boolean bias = key.equals(SecureParamInitializer.BIAS_KEY);
                IUpdater u = bias && l.getBiasUpdater() != null ? l.getBiasUpdater() : l.getIUpdater();
                List<Regularization> r = batchNorm ? null : bias ? l.getRegularizationBias() : l.getRegularization();
                o.register(m.name() + "_" + key, new UpdateRule(u, r, l.getGradientNormalization(),
                        l.getGradientNormalizationThreshold()));
            }
        }
        return o;
    }
}
