package org.fastcrypt4j.nn.training;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What DL4J's {@link TrainingListener}s see of a private training run: a {@link Model} that shows only what may be
 * shown. {@link #score()} is the loss when it was revealed to this party (the data owner, when asked for), NaN
 * otherwise; {@link #batchSize()} is the public batch size; the iteration and epoch counts are public. It holds no
 * parameters (they are shares), so every method about parameters, gradients or fitting says so. Listeners that only
 * print the score and count iterations ({@code ScoreIterationListener}, {@code PerformanceListener}) work unchanged.
 */
public final class SecureTrainingModel implements Model {

    private final NeuralNetConfiguration conf;
    private double score = Double.NaN;
    private int batchSize;

    public SecureTrainingModel(NeuralNetConfiguration conf) {
        this.conf = conf;
    }

    /** Updates what listeners see after a step. */
    public void update(double revealedScoreOrNaN, int batch) {
        score = revealedScoreOrNaN;
        batchSize = batch;
    }

    private static UnsupportedOperationException secret(String what) {
        return new UnsupportedOperationException(what + ": the parameters and gradients of a private training run are"
                + " secret shares; only the score (when revealed), the batch size and the counts are shown");
    }

    @Override
    public double score() {
        return score;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public NeuralNetConfiguration conf() {
        return conf;
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
    public Map<String, INDArray> paramTable() {
        return Collections.emptyMap();
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        return Collections.emptyMap();
    }

    @Override
    public void init() {
    }

    @Override
    public void clear() {
    }

    @Override
    public void close() {
    }

    @Override
    public void applyConstraints(int iteration, int epoch) {
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
        throw secret("setListeners (set them on SecureMultiLayerNetwork)");
    }

    @Override
    public void setListeners(TrainingListener... listeners) {
        throw secret("setListeners (set them on SecureMultiLayerNetwork)");
    }

    @Override
    public void addListeners(TrainingListener... listeners) {
        throw secret("addListeners (set them on SecureMultiLayerNetwork)");
    }

    @Override
    public void fit() {
        throw secret("fit (use SecureMultiLayerNetwork.fit)");
    }

    @Override
    public void update(Gradient gradient) {
        throw secret("update");
    }

    @Override
    public void update(INDArray gradient, String paramType) {
        throw secret("update");
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        throw secret("computeGradientAndScore");
    }

    @Override
    public void setParams(INDArray params) {
        throw secret("setParams");
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        throw secret("setParamsViewArray");
    }

    @Override
    public INDArray getGradientsViewArray() {
        throw secret("getGradientsViewArray");
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        throw secret("setBackpropGradientsViewArray");
    }

    @Override
    public void fit(INDArray data, LayerWorkspaceMgr workspaceMgr) {
        throw secret("fit");
    }

    @Override
    public Gradient gradient() {
        throw secret("gradient");
    }

    @Override
    public Pair<Gradient, Double> gradientAndScore() {
        throw secret("gradientAndScore");
    }

    @Override
    public void setConf(NeuralNetConfiguration conf) {
        throw secret("setConf");
    }

    @Override
    public INDArray input() {
        throw secret("input");
    }

    @Override
    public ConvexOptimizer getOptimizer() {
        throw secret("getOptimizer");
    }

    @Override
    public INDArray getParam(String param) {
        throw secret("getParam");
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        throw secret("setParamTable");
    }

    @Override
    public void setParam(String key, INDArray val) {
        throw secret("setParam");
    }
}
