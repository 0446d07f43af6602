package org.fastcrypt4j.nn.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.fastcrypt4j.nn.conf.SecureParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plain DL4J layer's parameters under the keys of the shares. They are the same but for batch normalization's
 * running variance, which DL4J keeps by default ({@code useLogStd}) as {@code log10stdev} = log10(sqrt(var)) and
 * the shares always as {@code var}: converted here, at the model owner, in double precision. A variance that fixed
 * point left at or below zero (a constant channel) is exported as {@value #VAR_FLOOR}.
 */
final class PlainParameters {

    /** The smallest variance written into a {@code log10stdev} parameter. */
    static final double VAR_FLOOR = 1e-30;

    private PlainParameters() {
    }

    /** Parameter {@code key} of {@code plain} (the variance for {@code var} of a log-std layer), or null. */
    static INDArray get(Layer plain, String key) {
        INDArray p = plain.paramTable().get(key);
        if (p != null || !isLogStdVariance(plain, key)) {
            return p;
        }
        INDArray v = plain.paramTable().get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).castTo(DataType.DOUBLE)
                .dup();
        for (long i = 0; i < v.length(); i++) {
            v.putScalar(i, Math.pow(10, 2 * v.getDouble(i)));
        }
        return v;
    }

    /** Sets parameter {@code key} of {@code plain} (the log10 std from a variance for {@code var} of a log-std layer). */
    static void set(Layer plain, String key, INDArray value) {
        if (!isLogStdVariance(plain, key)) {
            INDArray old = plain.getParam(key);
            plain.setParam(key, value.castTo(old.dataType()).reshape(old.shape()));
            return;
        }
        INDArray old = plain.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        INDArray v = value.castTo(DataType.DOUBLE).dup();
        for (long i = 0; i < v.length(); i++) {
            v.putScalar(i, 0.5 * Math.log10(Math.max(v.getDouble(i), VAR_FLOOR)));
        }
        plain.setParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, v.castTo(old.dataType()).reshape(old.shape()));
    }

    private static boolean isLogStdVariance(Layer plain, String key) {
        return key.equals(SecureParamInitializer.VAR_KEY) && !plain.paramTable().containsKey(key)
                && plain.paramTable().containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    }
}
