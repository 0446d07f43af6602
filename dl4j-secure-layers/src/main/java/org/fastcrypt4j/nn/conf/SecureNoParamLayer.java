package org.fastcrypt4j.nn.conf;

import java.util.Collection;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the secure layers without weights share ({@link SecureSubsamplingLayer}, {@link SecureActivationLayer}):
 * DL4J's {@link NoParamLayer} with the {@link SecureParamInitializer}, no pretrain parameters, the runtime layer
 * made with DL4J's listeners and index, and the memory report of a layer on shares.
 */
public abstract class SecureNoParamLayer extends NoParamLayer implements SecureLayerConf {
    private static final long serialVersionUID = 1L;

    /** For JSON (through the subclasses' no-argument constructors). */
    protected SecureNoParamLayer() {
    }

    protected SecureNoParamLayer(Layer.Builder<?> b) {
        super(b);
    }

    /** The runtime layer for this configuration. */
    protected abstract org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf,
            DataType networkDataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        return SecureLayerChecks.runtime(runtimeLayer(conf, networkDataType), listeners, layerIndex);
    }

    @Override
    public ParamInitializer initializer() {
        return SecureParamInitializer.getInstance();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return SecureLayerChecks.memoryReport(this, inputType, getOutputType(-1, inputType), getClass());
    }
}
