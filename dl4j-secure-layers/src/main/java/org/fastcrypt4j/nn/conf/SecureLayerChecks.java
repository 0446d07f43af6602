package org.fastcrypt4j.nn.conf;

import java.util.Collection;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.ring.ConvGeometry;
import org.nd4j.linalg.activations.IActivation;

/** Checks and helpers the secure layer configurations share. */
final class SecureLayerChecks {
    private SecureLayerChecks() {
    }

    static String named(String layerName) {
        return layerName == null ? "" : " '" + layerName + "'";
    }

    static boolean isIdentity(IActivation a) {
        return SecureActivationKind.of(a) == SecureActivationKind.IDENTITY;
    }

    /** Plain max(x, 0): DL4J's ReLU without a cap, a threshold or a negative slope. */
    static boolean isRelu(IActivation a) {
        return SecureActivationKind.of(a) == SecureActivationKind.RELU;
    }

    /** Refuses a non-linear activation on a layer that computes only the linear part. */
    static void requireLinear(String type, IActivation a, String layerName) {
        if (!isIdentity(a)) {
            throw new IllegalArgumentException(type + named(layerName) + ": activation " + a + " on a linear secure layer;"
                    + " put a SecureActivationLayer after it (SecureConversion.toSecure does this for a fused activation)");
        }
    }

    /** DL4J's 2-D convolution mode as the ring kernels' geometry mode; Causal (1-D only) is refused. */
    static ConvGeometry.Mode mode(ConvolutionMode m, String type, String layerName) {
        if (m == null || m == ConvolutionMode.Truncate) {
            return ConvGeometry.Mode.TRUNCATE;
        }
        return switch (m) {
            case Same -> ConvGeometry.Mode.SAME;
            case Strict -> ConvGeometry.Mode.STRICT;
            default -> throw new IllegalArgumentException(type + named(layerName) + ": convolution mode " + m
                    + " not supported (Truncate, Same or Strict)");
        };
    }

    static ConvGeometry geometry(int[] kernel, int[] stride, int[] padding, int[] dilation, ConvolutionMode m,
            String type, String layerName) {
        return ConvGeometry.of(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
                dilation[1], mode(m, type, layerName));
    }

    /** A builder's one-value form of a window option ({@code kernelSize(3)}) as the square pair. */
    static int[] square(int[] v) {
        return v != null && v.length == 1 ? new int[] {v[0], v[0]} : v;
    }

    /**
     * Refuses an input type other than convolutional (NCHW), naming the layer and, where given, its index.
     *
     * @param at the index part of the message, e.g. {@code " (layer 3)"}, or empty
     */
    static InputType.InputTypeConvolutional requireCnn(InputType inputType, String type, String layerName, String at) {
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException(type + named(layerName) + at + " needs a convolutional input type, got "
                    + inputType);
        }
        return (InputType.InputTypeConvolutional) inputType;
    }

    static int[] pair(int[] v, String what, String type, String layerName) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(type + named(layerName) + ": " + what + " needs 2 values (height, width), got "
                    + (v == null ? "none" : v.length));
        }
        return v.clone();
    }

    /** Hands the runtime layer DL4J's listeners and its index in the network, as every DL4J layer configuration does. */
    static org.deeplearning4j.nn.api.Layer runtime(org.deeplearning4j.nn.api.Layer layer,
            Collection<TrainingListener> listeners, int layerIndex) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        return layer;
    }

    /** Gives the plaintext twin's builder the secure layer's name, when it has one. */
    static <T extends Layer.Builder<T>> T withName(T builder, String layerName) {
        if (layerName != null) {
            builder.name(layerName);
        }
        return builder;
    }

    /**
     * Gives the plaintext twin's builder the secure layer's dropout (a copy), when it has one. DL4J draws its own
     * masks for the twin, so the twin and the secure layer drop different entries.
     */
    static <T extends Layer.Builder<T>> T withDropout(T builder, IDropout dropout) {
        if (dropout != null) {
            builder.dropOut(dropout.clone());
        }
        return builder;
    }

    /** A memory report for a layer whose parameters are shares (two ring components per value, 8 bytes each). */
    static LayerMemoryReport memoryReport(Layer layer, InputType in, InputType out, Class<?> type) {
        return new LayerMemoryReport.Builder(layer.getLayerName(), type, in, out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 2L * out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
