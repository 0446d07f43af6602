package org.fastcrypt4j.nn.layers;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J side of every runtime secure layer: a DL4J {@link org.deeplearning4j.nn.api.Layer} (so the layer is
 * instantiated from its configuration by DL4J's own API and sits in DL4J's layer structures), whose computation
 * runs on this party's shares through the bound {@link Session}.
 *
 * <p>Through DL4J's own {@code activate}/{@code backpropGradient} calls the layer takes and returns the party's
 * replicated shares packed as one LONG array ({@link SharePacking}: {@code [2N, ...]}, first component rows then
 * second component rows), which DL4J's preprocessors reshape bit-exactly. A floating-point array, an array of the
 * wrong shape, or a call before a session is bound is refused with an error naming the layer. Parameters are
 * shares held by the layer, never DL4J parameters, so the {@code Gradient} it returns to DL4J is empty: training
 * runs in {@link org.fastcrypt4j.nn.SecureMultiLayerNetwork}.
 */
public abstract class AbstractSecureLayer<C extends org.deeplearning4j.nn.conf.layers.Layer> extends AbstractLayer<C>
        implements SecureLayer {
    private static final long serialVersionUID = 1L;

    protected transient Session session;
    protected final Map<String, SharedTensor> params = new LinkedHashMap<>();
    protected final Map<String, SharedTensor> grads = new LinkedHashMap<>();
    private final String typeName;

    protected AbstractSecureLayer(NeuralNetConfiguration conf, DataType dataType, String typeName) {
        super(conf, dataType);
        this.typeName = typeName;
    }

    @Override
    public String describe() {
        String name = layerConf().getLayerName();
        return "layer " + getIndex() + (name == null ? "" : " '" + name + "'") + " (" + typeName + ")";
    }

    @Override
    public void bind(Session s) {
        this.session = s;
    }

    protected Session session() {
        if (session == null) {
            throw new IllegalStateException(describe() + ": no session bound; secure layers run inside"
                    + " SecureMultiLayerNetwork, or call bind(session) first");
        }
        return session;
    }

    /** Refuses shares of another party, and shapes other than {@code expected} (-1 = any size). */
    protected SharedTensor checkInput(SharedTensor x, long... expected) {
        Session s = session();
        if (x == null) {
            throw new IllegalArgumentException(describe() + ": no input");
        }
        if (x.party() != s.party()) {
            throw new IllegalArgumentException(describe() + " of party " + s.party() + " got a share of party "
                    + x.party());
        }
        long[] shape = x.shape();
        boolean ok = shape.length == expected.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = expected[i] < 0 || expected[i] == shape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(describe() + ": input shape " + Arrays.toString(shape) + ", expected "
                    + Arrays.toString(expected).replace("-1", "*"));
        }
        return x;
    }

    @Override
    public Map<String, SharedTensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    @Override
    public Map<String, SharedTensor> gradients() {
        return Collections.unmodifiableMap(grads);
    }

    @Override
    public void setParameter(String key, SharedTensor value) {
        long[] shape = SecureParamInitializer.shareShapes(layerConf()).get(key);
        if (shape == null) {
            throw new IllegalArgumentException(describe() + " has no parameter '" + key + "'");
        }
        if (!Arrays.equals(shape, value.shape())) {
            throw new IllegalArgumentException(describe() + ": parameter '" + key + "' has shape "
                    + Arrays.toString(shape) + ", got " + Arrays.toString(value.shape()));
        }
        if (session != null && value.party() != session.party()) {
            throw new IllegalArgumentException(describe() + " of party " + session.party() + ": parameter '" + key
                    + "' is a share of party " + value.party());
        }
        params.put(key, value);
    }

    protected SharedTensor param(String key) {
        SharedTensor p = params.get(key);
        if (p == null) {
            throw new IllegalStateException(describe() + ": parameter '" + key + "' not set (import or initialise the"
                    + " model's weights first)");
        }
        return p;
    }

    // ---------------------------------------------------------------------------------- DL4J's layer API

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input == null) {
            throw new IllegalStateException(describe() + ": no input set");
        }
        SharedTensor x = SharePacking.unpack(input, session().party(), describe());
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, SharePacking.pack(forward(x, training)));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        SharedTensor e = SharePacking.unpack(epsilon, session().party(), describe());
        SharedTensor dx = backward(e, true);
        return new Pair<>(new DefaultGradient(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, SharePacking.pack(dx)));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public void setCacheMode(CacheMode mode) {
    }

    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0;
    }

    @Override
    public long numParams() {
        return 0;
    }

    @Override
    public long numParams(boolean backwards) {
        return 0;
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public void fit(INDArray data, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(describe() + ": secure layers are trained by"
                + " SecureMultiLayerNetwork.fit, not by DL4J's fit");
    }

    @Override
    public String toString() {
        return describe();
    }
}
