package org.fastcrypt4j.nn.conf;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Checks the shape layers share ({@link SecureZeroPaddingLayer}, {@link SecureCropping2DLayer}, {@link SecureUpsampling2DLayer}). */
final class SpatialAmounts {
    private SpatialAmounts() {
    }

    /**
     * Amounts {@code [top, bottom, left, right]} from DL4J's short forms: one value for all four, two as
     * {@code [topAndBottom, leftAndRight]}, or all four; each non-negative.
     */
    static int[] four(int[] v, String what, String type, String layerName) {
        int[] out = v == null ? null : switch (v.length) {
            case 1 -> new int[] {v[0], v[0], v[0], v[0]};
            case 2 -> new int[] {v[0], v[0], v[1], v[1]};
            case 4 -> v.clone();
            default -> null;
        };
        if (out == null || Arrays.stream(out).anyMatch(a -> a < 0)) {
            throw new IllegalArgumentException(type + SecureLayerChecks.named(layerName) + ": " + what
                    + " needs 1, 2 or 4 non-negative values ([top, bottom, left, right]), got "
                    + (v == null ? "none" : Arrays.toString(v)));
        }
        return out;
    }

    /** The convolutional input type in NCHW, or an error naming the layer (NHWC is refused). */
    static InputType.InputTypeConvolutional nchw(InputType inputType, String type, String layerName, int layerIndex) {
        InputType.InputTypeConvolutional c = SecureLayerChecks.requireCnn(inputType, type, layerName,
                " (layer " + layerIndex + ")");
        if (c.getFormat() != null && c.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException(type + SecureLayerChecks.named(layerName) + " (layer " + layerIndex
                    + "): data format " + c.getFormat() + " not supported on shares (NCHW)");
        }
        return c;
    }
}
