package org.fastcrypt4j.nn.layers;

import java.util.Arrays;

import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.SpatialMaps;

/**
 * The 1-D layers' view of a time series {@code [N, C, T]} as the image {@code [N, C, T, 1]} DL4J's own 1-D layers
 * compute on, and back; local reshapes of both share components, and the Causal mode's leading zeros.
 */
final class SequenceShapes {
    private SequenceShapes() {
    }

    /** {@code [N, C, T]} as {@code [N, C, lead + T, 1]} ({@code lead} zeros in front), or an error naming the layer. */
    static SharedTensor asImage(SharedTensor x, int lead, String layer) {
        if (x == null || x.rank() != 3) {
            throw new IllegalArgumentException(layer + ": expects a time series [N, C, T], got "
                    + (x == null ? "no input" : Arrays.toString(x.shape())));
        }
        long[] s = x.shape();
        SharedTensor image = x.reshape(s[0], s[1], s[2], 1);
        if (lead == 0) {
            return image;
        }
        return new SharedTensor(image.party(), SpatialMaps.pad(image.first(), lead, 0, 0, 0),
                SpatialMaps.pad(image.second(), lead, 0, 0, 0));
    }

    /** {@code [N, C, lead + T, 1]} back to {@code [N, C, T]}, dropping the leading steps; null stays null. */
    static SharedTensor asSequence(SharedTensor image, int lead) {
        if (image == null) {
            return null;
        }
        SharedTensor x = lead == 0 ? image : new SharedTensor(image.party(),
                SpatialMaps.crop(image.first(), lead, 0, 0, 0), SpatialMaps.crop(image.second(), lead, 0, 0, 0));
        long[] s = x.shape();
        return x.reshape(s[0], s[1], s[2]);
    }
}
