package org.fastcrypt4j.nn.training;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.layers.SecureOutput;
import org.fastcrypt4j.nn.network.InputDropout;
import org.fastcrypt4j.nn.network.PassTimer;

/**
 * One training step of a secure network, whatever its shape (multi-layer or graph): the dropout masks of the step, the
 * forward pass to the output layer's input, the output layer and the loss gradient on shares, the backward pass below
 * the output layer, and the update of every parameter with the configured updater, regularization and clipping at the
 * loop's iteration and epoch ({@link SecureOptimizer}). Nothing is opened.
 */
public final class TrainingStep {
    private TrainingStep() {
    }

    /** The network's side of a step. */
    public record Net(Session session, PassTimer timer, SecureOutput output, InputDropout dropout,
            ParameterSet parameters, SecureOptimizer optimizer, boolean miniBatch) {
    }

    /**
     * @param forwardToOutput the output layer's input for the features (training mode)
     * @param backwardBelowOutput back-propagates the gradient with respect to the output layer's input, or null when
     *                            the output layer reads the features directly
     * @return the mean loss (the summed loss without miniBatch), shared, when {@code withLoss}, else null
     */
    public static SharedTensor run(Net net, long step, int epoch, SharedTensor features, SharedTensor labels,
            boolean withLoss, UnaryOperator<SharedTensor> forwardToOutput, Consumer<SharedTensor> backwardBelowOutput) {
        int n = (int) features.shape()[0];
        SecureOutput out = net.output();
        PassTimer timer = net.timer();
        net.dropout().startStep((int) step, epoch);
        SharedTensor in = forwardToOutput.apply(features);
        SharedTensor logits = timer.timed(out.describe(), "forward", () -> out.forward(in, true));
        SecureOutput.LossStep[] loss = new SecureOutput.LossStep[1];
        timer.timed("loss", "forward", () -> {
            loss[0] = out.lossStep(logits, labels, withLoss);
            return loss[0].gradient();
        });
        boolean below = backwardBelowOutput != null;
        SharedTensor eps = timer.timed(out.describe(), "backward", () -> out.backward(loss[0].gradient(), below));
        if (below) {
            backwardBelowOutput.accept(eps);
        }
        // DL4J divides the gradient by the batch size and scores the mean loss only with miniBatch(true) (its default)
        timer.timed("update", "backward", () -> {
            net.parameters().set(net.optimizer().step(net.session(), net.parameters().parameters(),
                    net.parameters().gradients(), net.miniBatch() ? n : 1, step, epoch));
            return null;
        });
        SharedTensor mean = loss[0].loss();
        return mean == null || net.miniBatch() ? mean : mean.mul(n);
    }
}
