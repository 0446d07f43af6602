package org.fastcrypt4j.nn.training;

import java.util.List;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * How one parameter is updated, read from its DL4J layer configuration: the updater (SGD or Nesterovs, with any
 * learning-rate and momentum schedules, or Adam, Nadam, AMSGrad, AdaMax, RmsProp, AdaGrad, AdaDelta, or
 * NoOp), the regularization of that parameter (L1, L2, weight decay, each with its coefficient schedule; the layer's
 * bias regularization for biases) and the layer's gradient normalization. DL4J's NoOp leaves the gradient as it is
 * and the network subtracts it: SGD with a learning rate of 1, which is what it does here too.
 * Every hyper-parameter is public (a function of the iteration and epoch only), as in DL4J.
 *
 * @param updater        Sgd, Nesterovs, Adam, Nadam, AMSGrad, AdaMax, RmsProp, AdaGrad, AdaDelta or NoOp
 * @param regularization L1Regularization, L2Regularization and WeightDecay terms (empty for none)
 * @param normalization  None, ClipElementWiseAbsoluteValue or an L2-norm mode ({@link L2Normalization})
 * @param threshold      the clipping threshold
 */
public record UpdateRule(IUpdater updater, List<Regularization> regularization, GradientNormalization normalization,
        double threshold) {

    public UpdateRule {
        regularization = regularization == null ? List.of() : List.copyOf(regularization);
        normalization = normalization == null ? GradientNormalization.None : normalization;
    }

    /** The updater alone: no regularization, no gradient normalization. */
    public static UpdateRule of(IUpdater updater) {
        return new UpdateRule(updater, List.of(), GradientNormalization.None, 0);
    }

    /** This rule with {@code r} as its regularization. */
    public UpdateRule withRegularization(List<Regularization> r) {
        return new UpdateRule(updater, r, normalization, threshold);
    }

    /** The reason this rule cannot run on shares, or null when it can (the converter's and the optimizer's check). */
    public String problem() {
        String u = updaterProblem(updater);
        if (u != null) {
            return u;
        }
        if (updater instanceof NoOp && regularization.stream().anyMatch(r -> r instanceof WeightDecay wd && wd.isApplyLR())) {
            // DL4J multiplies the decay by NoOp's learning rate, NaN, and the parameters become NaN
            return "weight decay with applyLR and the NoOp updater (which has no learning rate) not supported";
        }
        for (Regularization r : regularization) {
            if (!(r instanceof L1Regularization || r instanceof L2Regularization || r instanceof WeightDecay)) {
                return "regularization " + r.getClass().getSimpleName() + " not supported (L1, L2, weight decay)";
            }
        }
        return normalizationProblem(normalization);
    }

    /** Why {@code u} cannot run on shares, or null. */
    public static String updaterProblem(IUpdater u) {
        if (u instanceof Sgd || u instanceof Nesterovs || u instanceof NoOp) {
            return null;
        }
        if (AdaptiveSteps.kindOf(u) != null) {
            return AdaptiveSteps.problem(u);
        }
        if (u instanceof AdaBelief) {
            return "updater AdaBelief not supported (DL4J 1.0.0-M2.1 cannot train with it either: its updater fails to "
                    + "instantiate)";
        }
        return "updater " + (u == null ? "none" : u.getClass().getSimpleName())
                + " not supported (Sgd, Nesterovs, Adam, Nadam, AMSGrad, AdaMax, RmsProp, AdaGrad, AdaDelta, NoOp)";
    }

    /** Why {@code g} cannot run on shares, or null. */
    public static String normalizationProblem(GradientNormalization g) {
        if (g == null || g == GradientNormalization.None || g == GradientNormalization.ClipElementWiseAbsoluteValue
                || L2Normalization.isL2(g)) {
            return null;
        }
        return "gradient normalization " + g + " not supported";
    }

    boolean clips() {
        return normalization == GradientNormalization.ClipElementWiseAbsoluteValue;
    }

    /** True for the adaptive updaters (Adam, Nadam, RmsProp, AdaGrad: {@link AdaptiveSteps}; AdaDelta: {@link AdaDeltaSteps}). */
    boolean adaptive() {
        return AdaptiveSteps.kindOf(updater) != null;
    }

    boolean nesterovs() {
        return updater instanceof Nesterovs;
    }

    /** The learning rate at this iteration and epoch (the updater's schedule, if any). */
    double learningRate(long iteration, int epoch) {
        if (!updater.hasLearningRate()) {
            return 1;   // AdaDelta: DL4J applies weight decay with a learning rate of 1; NoOp: the raw gradient
        }
        return updater.getLearningRate((int) iteration, epoch);
    }

    /** The Nesterovs momentum at this iteration and epoch (its schedule, if any); 0 for SGD. */
    double momentum(long iteration, int epoch) {
        return updater instanceof Nesterovs n ? n.currentMomentum((int) iteration, epoch) : 0;
    }

    /** The sum of the L1 coefficients at this iteration and epoch. */
    double l1(long iteration, int epoch) {
        return coefficients(L1Regularization.class, L1Regularization::getL1, iteration, epoch);
    }

    /** The sum of the L2 coefficients at this iteration and epoch. */
    double l2(long iteration, int epoch) {
        return coefficients(L2Regularization.class, L2Regularization::getL2, iteration, epoch);
    }

    /** The sum over the regularization terms of one type of their coefficient schedules' values. */
    private <R extends Regularization> double coefficients(Class<R> type, java.util.function.Function<R, ISchedule> coeff,
            long iteration, int epoch) {
        double c = 0;
        for (Regularization r : regularization) {
            if (type.isInstance(r)) {
                c += coeff.apply(type.cast(r)).valueAt((int) iteration, epoch);
            }
        }
        return c;
    }

    /** The weight-decay factor applied after the updater: sum of coeff (times the learning rate where applyLR). */
    double weightDecay(long iteration, int epoch, double lr) {
        double c = 0;
        for (Regularization r : regularization) {
            if (r instanceof WeightDecay wd) {
                c += wd.getCoeff().valueAt((int) iteration, epoch) * (wd.isApplyLR() ? lr : 1);
            }
        }
        return c;
    }
}
