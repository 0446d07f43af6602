package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.fastcrypt4j.nn.conf.SecureCropping2DLayer;
import org.fastcrypt4j.nn.conf.SecureLayerConf;
import org.fastcrypt4j.nn.conf.SecureUpsampling2DLayer;
import org.fastcrypt4j.nn.conf.SecureZeroPaddingLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Zero padding, cropping and upsampling on shares against DL4J's ZeroPaddingLayer, Cropping2D and Upsampling2D
 * (NCHW): output and input gradient. The maps move values and the upsampling gradient adds them, so the only error
 * is the fixed-point encoding: {@link #LINEAR_TOL}.
 */
class ShapeLayersGradientTest extends LayerGradientCheck {

    private void checkLayer(SecureLayerConf conf, long[] in, long[] out) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = input(r, in);
        check(conf, Map.of(), x, uniform(r, 2, out), LINEAR_TOL, LINEAR_TOL, false);
    }

    @Test
    void zeroPaddingTopBottomLeftRight() {
        checkLayer(new SecureZeroPaddingLayer.Builder(1, 2, 0, 3).name("zp").build(), new long[] {2, 3, 4, 5},
                new long[] {2, 3, 7, 8});
        checkLayer(new SecureZeroPaddingLayer.Builder(2, 1).build(), new long[] {1, 2, 3, 3}, new long[] {1, 2, 7, 5});
    }

    @Test
    void croppingTopBottomLeftRight() {
        checkLayer(new SecureCropping2DLayer.Builder(1, 0, 2, 1).name("crop").build(), new long[] {2, 3, 6, 5},
                new long[] {2, 3, 5, 2});
        checkLayer(new SecureCropping2DLayer.Builder(1).build(), new long[] {1, 2, 4, 4}, new long[] {1, 2, 2, 2});
    }

    @Test
    void upsamplingRepeatsBlocksAndSumsTheirGradients() {
        checkLayer(new SecureUpsampling2DLayer.Builder(2).name("up").build(), new long[] {2, 3, 3, 4},
                new long[] {2, 3, 6, 8});
        checkLayer(new SecureUpsampling2DLayer.Builder().size(new int[] {3, 1}).build(), new long[] {1, 2, 2, 3},
                new long[] {1, 2, 6, 3});
    }

    @Test
    void outputTypesMatchDl4j() {
        InputType in = InputType.convolutional(9, 7, 3);
        SecureLayerConf[] confs = {
            new SecureZeroPaddingLayer.Builder(1, 2, 3, 4).build(),
            new SecureCropping2DLayer.Builder(2, 1, 0, 3).build(),
            new SecureUpsampling2DLayer.Builder().size(new int[] {2, 3}).build()};
        for (SecureLayerConf c : confs) {
            InputType expected = c.toPlain().getOutputType(0, in);
            assertEquals(expected, ((org.deeplearning4j.nn.conf.layers.Layer) c).getOutputType(0, in),
                    c.getClass().getSimpleName());
        }
    }

    @Test
    void nhwcNegativeAmountsAndOtherRanksAreRefused() {
        SecureZeroPaddingLayer zp = new SecureZeroPaddingLayer.Builder(1).name("zp").build();
        IllegalStateException nhwc = assertThrows(IllegalStateException.class,
                () -> zp.getOutputType(2, InputType.convolutional(4, 4, 3, CNN2DFormat.NHWC)));
        assertTrue(nhwc.getMessage().contains("'zp' (layer 2)") && nhwc.getMessage().contains("NHWC"), nhwc.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new SecureCropping2DLayer.Builder(1, -1, 0, 0).name("c").build());
        assertTrue(negative.getMessage().contains("'c'") && negative.getMessage().contains("[1, -1, 0, 0]"),
                negative.getMessage());
        IllegalStateException tooMuch = assertThrows(IllegalStateException.class,
                () -> new SecureCropping2DLayer.Builder(2).build().getOutputType(0, InputType.convolutional(4, 6, 1)));
        assertTrue(tooMuch.getMessage().contains("leaves nothing"), tooMuch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SecureUpsampling2DLayer.Builder(0).build());
        RuntimeException rank3 = assertThrows(RuntimeException.class, () -> secure(zp, Map.of(),
                input(new SplittableRandom(seed), 2, 3, 4), uniform(new SplittableRandom(seed), 1, 2, 3, 6)));
        assertTrue(String.valueOf(rank3.getMessage()).contains("input shape")
                || String.valueOf(rank3.getCause()).contains("input shape"), String.valueOf(rank3));
    }
}
