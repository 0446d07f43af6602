package org.fastcrypt4j.nn.conf;

import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the secure layers with weights share ({@link SecureDenseLayer}, {@link SecureConvolutionLayer},
 * {@link SecureOutputLayer}): DL4J's {@link FeedForwardLayer} with an optional bias, the
 * {@link SecureParamInitializer} (the weights are shares the runtime layer holds, not DL4J parameters), the check
 * that nIn and nOut are set before the runtime layer is made, and the settings the plaintext twin
 * ({@link #toPlain()}) copies. The bias flag keeps its field name, so the subclasses' JSON is unchanged.
 */
public abstract class SecureFeedForwardLayer extends FeedForwardLayer implements SecureLayerConf {
    private static final long serialVersionUID = 1L;

    private boolean hasBias = true;

    /** For JSON (through the subclasses' no-argument constructors). */
    protected SecureFeedForwardLayer() {
    }

    protected SecureFeedForwardLayer(Builder<?> b) {
        super(b);
        hasBias = b.hasBias;
    }

    public boolean hasBias() {
        return hasBias;
    }

    /** Bean accessors (DL4J's JSON mapping uses them). */
    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    /** The runtime layer for this configuration (nIn and nOut are checked before). */
    protected abstract org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf,
            DataType networkDataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet(getClass().getSimpleName(), getLayerName(), layerIndex, getNIn(), getNOut());
        return SecureLayerChecks.runtime(runtimeLayer(conf, networkDataType), listeners, layerIndex);
    }

    @Override
    public ParamInitializer initializer() {
        return SecureParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return SecureLayerChecks.memoryReport(this, inputType, getOutputType(-1, inputType), getClass());
    }

    /**
     * The plaintext twin's builder with what it shares with this layer: nIn, nOut, weight and bias initialisation,
     * the updaters, the regularization, the gradient normalization, the dropout and the name (the caller adds the bias
     * flag and the activation, which DL4J's builders of the three layer kinds declare separately).
     */
    protected <T extends FeedForwardLayer.Builder<T>> T twin(T plain) {
        plain.nIn(getNIn()).nOut(getNOut()).weightInit(getWeightInitFn()).biasInit(getBiasInit())
                .updater(getIUpdater()).biasUpdater(getBiasUpdater());
        if (getRegularization() != null) {
            plain.regularization(new java.util.ArrayList<>(getRegularization()));
        }
        if (getRegularizationBias() != null) {
            plain.regularizationBias(new java.util.ArrayList<>(getRegularizationBias()));
        }
        if (getGradientNormalization() != null) {
            plain.gradientNormalization(getGradientNormalization());
        }
        plain.gradientNormalizationThreshold(getGradientNormalizationThreshold());
        return SecureLayerChecks.withDropout(SecureLayerChecks.withName(plain, layerName), getIDropout());
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o)
                && hasBias == ((SecureFeedForwardLayer) o).hasBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), hasBias);
    }

    /** The builder options of every secure layer with weights, on top of DL4J's {@code FeedForwardLayer.Builder}. */
    public abstract static class Builder<T extends Builder<T>> extends FeedForwardLayer.Builder<T> {
        private boolean hasBias = true;

        /** Include the bias (default true). */
        @SuppressWarnings("unchecked")
        public T hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return (T) this;
        }
    }
}
