package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Checks the 1-D (sequence) layers share: their input is a time series {@code [N, C, T]} in NCW. */
final class Sequences {
    private Sequences() {
    }

    /**
     * The recurrent input type in NCW, or an error naming the layer: another input type (feed-forward input needs
     * {@code InputType.recurrent(size, length)} or a preprocessor), or NWC.
     *
     * @param layerIndex the layer's index for the message, or -1 when not known
     */
    static InputType.InputTypeRecurrent ncw(InputType inputType, String type, String layerName, int layerIndex) {
        String at = type + SecureLayerChecks.named(layerName) + (layerIndex < 0 ? "" : " (layer " + layerIndex + ")");
        if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
            throw new IllegalStateException(at + ": expects time-series input [N, C, T] (InputType.recurrent), got "
                    + inputType);
        }
        if (r.getFormat() != null && r.getFormat() != RNNFormat.NCW) {
            throw new IllegalStateException(at + ": data format " + r.getFormat() + " not supported on shares (NCW)");
        }
        return r;
    }

    /** Refuses 2-D windows on a 1-D layer: kernel [k, 1], stride [s, 1], padding [p, 0], dilation [d, 1]. */
    static void requireOneDimensional(int[] k, int[] s, int[] p, int[] d, String type, String layerName) {
        if (k[1] != 1 || s[1] != 1 || p[1] != 0 || d[1] != 1) {
            throw new IllegalArgumentException(type + SecureLayerChecks.named(layerName)
                    + ": a 1-D layer has kernel [k, 1], stride [s, 1], padding [p, 0], dilation [d, 1]");
        }
    }
}
