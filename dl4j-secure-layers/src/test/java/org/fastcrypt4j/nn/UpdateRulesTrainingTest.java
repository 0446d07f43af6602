package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.fastcrypt4j.nn.training.UpdateRule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Private training with DL4J's regularization (L1, L2, weight decay with and without the learning rate, bias
 * regularization), learning-rate and momentum schedules (by iteration and by epoch) and element-wise gradient clipping,
 * each against DL4J's own training of the same configuration from the same weights on the same batches
 * ({@link TwinTraining}). The networks end in MSE outputs, exact on shares but for the fixed-point encoding (a softmax
 * output's approximated exp and reciprocal add errors of about 1e-3 per step that momentum amplifies over a few
 * steps), so a tight tolerance holds: parameters after training within 1e-4 * (1 + largest parameter) of DL4J's
 * (measured: 3e-6 to 1.1e-5).
 * Coefficients are large enough that a missing or misplaced term moves the parameters by far more than that.
 */
class UpdateRulesTrainingTest {
    private static final double TOL = 1e-4;

    /**
     * The adaptive updaters (Adam, Nadam, AMSGrad, AdaMax, RmsProp, AdaGrad, AdaDelta): their steps are normalised (about lr
     * each), and a parameter whose gradients stay under about 1.5e-5 moves less than in DL4J (the inverse square
     * root's floor); 1e-3 * (1 + largest parameter) (measured: 3e-6 to 1.3e-4).
     */
    private static final double ADAM_TOL = 1e-3;

    private final long seed = Long.getLong("fc4j.seed", System.nanoTime());

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(4).weightInit(WeightInit.XAVIER);
    }

    private static MultiLayerConfiguration mlp(NeuralNetConfiguration.Builder b) {
        return mlp(b, Activation.RELU);
    }

    private static MultiLayerConfiguration mlp(NeuralNetConfiguration.Builder b, Activation hidden) {
        return b.list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(hidden).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(4)
                        .activation(Activation.IDENTITY).build())
                .build();
    }

    private List<DataSet> data() {
        return SecureTrainingTest.batches(new SplittableRandom(seed), 4, 16, 12, 4);
    }

    @Test
    void l2AndL1RegularizationFollowDl4j() {
        TwinTraining.assertTracks(mlp(base().updater(new Sgd(0.2)).l2(0.05)), data(), 2, TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new Nesterovs(0.1, 0.9)).l2(0.02).l1(0.01)), data(), 2, TOL, seed);
        // bias regularization, and L2 on one layer only
        MultiLayerConfiguration perLayer = base().updater(new Sgd(0.2)).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.RELU).l2(0.1).l2Bias(0.2)
                        .l1Bias(0.01).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(4)
                        .activation(Activation.IDENTITY).build())
                .build();
        TwinTraining.assertTracks(perLayer, data(), 2, TOL, seed);
    }

    @Test
    void weightDecayFollowsDl4jWithAndWithoutTheLearningRate() {
        TwinTraining.assertTracks(mlp(base().updater(new Sgd(0.2)).weightDecay(0.05, true)), data(), 2, TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new Nesterovs(0.1, 0.8)).weightDecay(0.01, false)), data(), 2,
                TOL, seed);
    }

    @Test
    void learningRateAndMomentumSchedulesFollowDl4j() {
        MapSchedule byIteration = new MapSchedule.Builder(ScheduleType.ITERATION).add(0, 0.2).add(3, 0.05).add(6, 0.01)
                .build();
        TwinTraining.assertTracks(mlp(base().updater(new Sgd(byIteration))), data(), 2, TOL, seed);
        Nesterovs scheduled = new Nesterovs(new StepSchedule(ScheduleType.EPOCH, 0.1, 0.5, 1),
                new ExponentialSchedule(ScheduleType.ITERATION, 0.9, 0.9));
        TwinTraining.assertTracks(mlp(base().updater(scheduled)), data(), 3, TOL, seed);
    }

    @Test
    void elementWiseGradientClippingFollowsDl4j() {
        // thresholds well below the gradients' magnitudes, so most elements are clipped
        TwinTraining.assertTracks(mlp(base().updater(new Sgd(0.5))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(0.01)), data(), 2, TOL, seed);
        MultiLayerConfiguration cnn = base().updater(new Nesterovs(0.05, 0.9)).l2(0.01)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(0.05).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1)).build();
        TwinTraining.assertTracks(cnn, SecureTrainingTest.batches(new SplittableRandom(seed), 3, 8, 64, 4), 1, TOL,
                seed);
    }

    @Test
    void adamFollowsDl4j() {
        // a linear hidden layer: Adam's steps are sign-like, so a ReLU input that lands on the other side of 0 through
        // fixed-point rounding turns a tiny gradient difference into a difference of a whole step
        TwinTraining.assertTracks(mlp(base().updater(new Adam(0.01)), Activation.IDENTITY), data(), 2, ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new Adam(0.02, 0.8, 0.99, 1e-8)).l2(0.01).weightDecay(0.01),
                Activation.IDENTITY), data(), 2, ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new Adam(new StepSchedule(ScheduleType.ITERATION, 0.02, 0.5, 3)))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(0.05), Activation.IDENTITY), data(), 2, ADAM_TOL, seed);
    }

    @Test
    void nadamRmsPropAdaGradAdaDeltaAndAmsGradFollowDl4j() {
        // DL4J's Nadam does not correct v's bias: its first steps are about 60 lr, so a small lr keeps them moderate
        TwinTraining.assertTracks(mlp(base().updater(new Nadam(0.001)), Activation.IDENTITY), data(), 2, ADAM_TOL,
                seed);
        TwinTraining.assertTracks(mlp(base().updater(new RmsProp(0.01)), Activation.IDENTITY), data(), 2, ADAM_TOL,
                seed);
        TwinTraining.assertTracks(mlp(base().updater(new AdaGrad(0.05)).l2(0.01), Activation.IDENTITY), data(), 2,
                ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new AdaDelta()), Activation.IDENTITY), data(), 2, ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new AMSGrad(0.01)), Activation.IDENTITY), data(), 3, ADAM_TOL,
                seed);
        TwinTraining.assertTracks(mlp(base().updater(new AdaDelta()).weightDecay(0.01, true), Activation.IDENTITY),
                data(), 2, ADAM_TOL, seed);
    }

    @Test
    void largeEpsilonsAreAddedAsDl4jAddsThem() {
        // epsilon 1e-2 beside sqrt(v) of a few 1e-2: ignoring it would move each parameter by about a fifth of a step
        // more per step, far beyond the tolerance over eight steps
        TwinTraining.assertTracks(mlp(base().updater(new Adam(0.01, 0.9, 0.999, 1e-2)), Activation.IDENTITY), data(), 2,
                ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new RmsProp(0.01, 0.95, 1e-2)), Activation.IDENTITY), data(), 2,
                ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new AdaGrad(0.05, 1e-2)), Activation.IDENTITY), data(), 2,
                ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new Nadam(0.001, 0.9, 0.999, 1e-3)), Activation.IDENTITY), data(),
                2, ADAM_TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new AMSGrad(0.01, 0.9, 0.999, 1e-2)), Activation.IDENTITY), data(),
                2, ADAM_TOL, seed);
    }

    @Test
    void adaMaxFollowsDl4j() {
        TwinTraining.assertTracks(mlp(base().updater(new AdaMax(0.01)), Activation.IDENTITY), data(), 3, ADAM_TOL,
                seed);
        TwinTraining.assertTracks(mlp(base().updater(new AdaMax(0.02, 0.8, 0.99, 1e-8)).l2(0.01),
                Activation.IDENTITY), data(), 2, ADAM_TOL, seed);
    }

    /** DL4J's NoOp leaves the gradient as it is and subtracts it: SGD with a learning rate of 1, L1/L2 included. */
    @Test
    void noOpFollowsDl4j() {
        TwinTraining.assertTracks(mlp(base().updater(new NoOp()).l2(0.05).l1(0.01)), data(), 2, TOL, seed);
        TwinTraining.assertTracks(mlp(base().updater(new NoOp()).weightDecay(0.05, false)), data(), 2, TOL, seed);
    }

    /**
     * DL4J's L2-norm gradient normalizations, per layer and per parameter, renormalizing and clipping (thresholds
     * below and above the norms, so that some groups clip and others do not).
     */
    @Test
    void l2NormGradientNormalizationsFollowDl4j() {
        for (GradientNormalization g : new GradientNormalization[] {GradientNormalization.RenormalizeL2PerLayer,
            GradientNormalization.RenormalizeL2PerParamType, GradientNormalization.ClipL2PerLayer,
            GradientNormalization.ClipL2PerParamType}) {
            // a linear hidden layer: with ReLU, an input rounded to the other side of 0 changes that unit's gradient
            // by far more than this tight tolerance (CI saw 2.7e-3 once)
            TwinTraining.assertTracks(mlp(base().updater(new Sgd(0.1)).gradientNormalization(g)
                    .gradientNormalizationThreshold(0.3), Activation.IDENTITY), data(), 2, TOL, seed);
        }
        TwinTraining.assertTracks(mlp(base().updater(new Nesterovs(0.05, 0.9)).l2(0.01)
                .gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(2),
                Activation.IDENTITY), data(), 2, TOL, seed);
    }

    @Test
    void updateRulesRefuseWhatTheyCannotRun() {
        assertNull(UpdateRule.of(new Sgd(0.1)).problem());
        assertNull(UpdateRule.of(new Adam(1e-3)).problem());
        assertNull(UpdateRule.of(new Adam(1e-3, 0.9, 0.999, 1e-3)).problem());   // added to sqrt(v) (largeEpsilons...)
        assertTrue(UpdateRule.of(new Adam(1e-3, 0.9, 0.999, 0.1)).problem().contains("epsilon"));
        assertNull(UpdateRule.of(new AdaDelta()).problem());
        assertNull(UpdateRule.of(new AdaMax(1e-3)).problem());
        // DL4J's own AdaBelief fails to instantiate: nothing to follow
        assertTrue(UpdateRule.of(new AdaBelief(1e-3)).problem().contains("AdaBelief"));
        assertNull(UpdateRule.of(new NoOp()).problem());
        assertTrue(UpdateRule.of(new UnknownUpdater()).problem().contains("UnknownUpdater"));
        assertNull(UpdateRule.normalizationProblem(GradientNormalization.ClipL2PerLayer));
        // DL4J multiplies weight decay by NoOp's learning rate, NaN: refused by the converter, not only the optimizer
        UnsupportedConfigurationException noOp = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(mlp(base().updater(new NoOp()).weightDecay(1e-3, true))));
        assertTrue(noOp.getMessage().contains("NoOp"), noOp.getMessage());
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                () -> SecureConversion.toSecure(mlp(base().updater(new UnknownUpdater())
                        .weightNoise(new DropConnect(0.5)))));
        // grouped by cause: each cause once, naming both layers
        Map<String, List<String>> causes = e.causes();
        assertEquals(2, causes.size(), e.getMessage());
        causes.values().forEach(where -> assertEquals(2, where.size(), e.getMessage()));
        assertEquals(1, e.getMessage().split("updater UnknownUpdater", -1).length - 1, e.getMessage());
    }
}
