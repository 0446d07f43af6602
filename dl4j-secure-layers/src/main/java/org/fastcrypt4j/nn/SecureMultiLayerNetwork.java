package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.layers.AbstractSecureLayer;
import org.fastcrypt4j.nn.layers.SecureLayer;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.LayerStack;
import org.fastcrypt4j.nn.network.ModelTransfer;
import org.fastcrypt4j.nn.network.PassTimer;
import org.fastcrypt4j.nn.network.PrivateEvaluation;
import org.fastcrypt4j.nn.training.ParameterSet;
import org.fastcrypt4j.nn.training.TrainingLoop;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A DL4J network run by three parties on secret shares. Each party builds one from the same secure configuration
 * ({@link SecureConversion#toSecure} of an ordinary DL4J configuration, or one written with the secure layers)
 * and its own {@link Session}; every method is called by all three parties together, in the same order (the
 * protocols run in lock-step), each passing what it holds: the data owner its features, the model owner its
 * plain network, the others {@code null}.
 *
 * <p>The layers are DL4J layer instances made by DL4J's own {@code Layer.instantiate} from the configuration. This
 * class is a façade over the parts a computation graph shares: the passes ({@link LayerStack}), model import and
 * export ({@link ModelTransfer}), the data owner's input ({@link DataOwnerInput}), the training loop with its
 * checkpoints ({@link TrainingLoop}), evaluation ({@link PrivateEvaluation}) and profiling ({@link PassTimer}). It
 * drives training itself, since DL4J's {@code MultiLayerNetwork} cannot train a network whose parameters are not DL4J
 * parameters.
 *
 * <p>What each party learns: nothing but shapes, unless a method reveals a result, and then only the named
 * receiver learns it. {@link #importModel} and {@link #exportModel} move a model between the model owner's plain
 * network and shares; {@link #output(SharedTensor, int)} and {@link #evaluate} reveal the output layer's logits
 * (and nothing else) to one party.
 */
public final class SecureMultiLayerNetwork extends SecureNetworkBase {

    private final MultiLayerConfiguration conf;
    private final List<SecureLayer> layers;
    private final List<org.deeplearning4j.nn.api.Layer> dl4jLayers;
    private final LayerStack stack;

    /**
     * @throws UnsupportedConfigurationException listing every layer that cannot run on shares
     */
    public SecureMultiLayerNetwork(MultiLayerConfiguration conf, Session session) {
        super(session);
        SecureConversion.validate(conf);
        this.conf = conf.clone();
        int n = this.conf.getConfs().size();
        List<SecureLayer> ls = new ArrayList<>();
        List<org.deeplearning4j.nn.api.Layer> dl = new ArrayList<>();
        List<ParameterSet.Member> members = new ArrayList<>();
        List<org.deeplearning4j.nn.conf.layers.Layer> layerConfs = new ArrayList<>();
        InputPreProcessor[] preprocessors = new InputPreProcessor[n];
        for (int i = 0; i < n; i++) {
            NeuralNetConfiguration c = this.conf.getConf(i);
            org.deeplearning4j.nn.api.Layer layer = c.getLayer().instantiate(c, Collections.emptyList(), i, null, false,
                    DataType.FLOAT);
            SecureLayer secure = (SecureLayer) layer;
            secure.bind(session);
            ls.add(secure);
            dl.add(layer);
            members.add(new ParameterSet.Member(Integer.toString(i), secure, c.getLayer()));
            layerConfs.add(c.getLayer());
            preprocessors[i] = this.conf.getInputPreProcess(i);
        }
        layers = Collections.unmodifiableList(ls);
        dl4jLayers = Collections.unmodifiableList(dl);
        InputDropout dropout = new InputDropout(session, layerConfs);
        stack = new LayerStack(layers, preprocessors, timer, dropout);
        wire(new ParameterSet(members), dropout, this.conf.getConf(n - 1));
    }

    public MultiLayerConfiguration getConfiguration() {
        return conf.clone();
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

    @Override
    protected SecureOutput outputLayer() {
        return stack.outputLayer();
    }

    @Override
    protected SecureOutputLayer outputConf() {
        return (SecureOutputLayer) conf.getConf(layers.size() - 1).getLayer();
    }

    @Override
    protected SharedTensor forwardToOutput(SharedTensor features, boolean training) {
        return stack.forwardToOutput(features, training);
    }

    @Override
    protected Consumer<SharedTensor> backwardBelowOutput() {
        return layers.size() > 1 ? stack::backwardBelowOutput : null;
    }

    @Override
    protected boolean miniBatch() {
        // DL4J divides the gradient by the batch size and scores the mean loss only with miniBatch(true) (its default)
        return conf.getConf(0).isMiniBatch();
    }

    @Override
    protected String configurationJson() {
        return conf.toJson();
    }

    // ------------------------------------------------------------------------------------------- parameters

    /**
     * The model owner secret-shares the parameters of its plain network: {@code plainAtOwner} at party
     * {@code owner} (a trained model, or DL4J's initialisation of {@link SecureConversion#toPlain}), {@code null}
     * elsewhere. See {@link ModelTransfer} for the mapping, the checks and the cost.
     */
    public void importModel(int owner, MultiLayerNetwork plainAtOwner) {
        checkParty(owner, "model owner");
        transfer.importParameters(owner, parameters(), session.party() == owner && plainAtOwner != null
                ? ModelTransfer.withParameters(plainAtOwner.getLayers()) : null);
    }

    /** The model owner builds the plaintext twin with DL4J's own initialisation (the configuration's seed) and shares it. */
    @Override
    public void initParameters(int owner) {
        MultiLayerNetwork twin = null;
        if (session.party() == owner) {
            twin = new MultiLayerNetwork(SecureConversion.toPlain(conf));
            twin.init();
        }
        importModel(owner, twin);
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
        transfer.exportParameters(owner, parameters(), session.party() == owner && targetAtOwner != null
                ? ModelTransfer.withParameters(targetAtOwner.getLayers()) : null);
    }

    List<SecureLayer> layers() {
        return layers;
    }

    /** Runtime layer {@code i} as the abstract base (package use). */
    AbstractSecureLayer<?> abstractLayer(int i) {
        return (AbstractSecureLayer<?>) layers.get(i);
    }

    /** The parameters by full name (package use: tests). */
    Map<String, SharedTensor> parameterMap() {
        return parameters().parameters();
    }
}
