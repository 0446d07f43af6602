package org.fastcrypt4j.nn;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/** A user's own updater, which the secure network cannot know: the converter must refuse it. */
final class UnknownUpdater implements IUpdater {

    @Override
    public long stateSize(long numParams) {
        return 0;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        throw new UnsupportedOperationException("not for training");
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        throw new UnsupportedOperationException("not for training");
    }

    @Override
    public IUpdater clone() {
        return new UnknownUpdater();
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return 0.1;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
    }
}
