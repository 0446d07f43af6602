package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.fastcrypt4j.nn.conf.SecureGlobalPoolingLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global pooling on shares against DL4J's GlobalPoolingLayer, on images [N, C, H, W] and time series [N, C, T]:
 * output and input gradient (no parameters).
 */
class GlobalPoolingGradientTest extends LayerGradientCheck {

    private void checkPooling(PoolingType type, boolean collapse) {
        SplittableRandom r = new SplittableRandom(seed);
        SecureGlobalPoolingLayer conf = new SecureGlobalPoolingLayer.Builder(type).collapseDimensions(collapse)
                .name("gp").build();
        INDArray x = input(r, 2, 3, 5, 4);
        INDArray eps = collapse ? uniform(r, 2, 2, 3) : uniform(r, 2, 2, 3, 1, 1);
        check(conf, Map.of(), x, eps, LINEAR_TOL, LINEAR_TOL, false);
    }

    @Test
    void average() {
        checkPooling(PoolingType.AVG, true);
    }

    @Test
    void sum() {
        checkPooling(PoolingType.SUM, true);
    }

    @Test
    void maxRoutesTheGradientToTheArgmax() {
        checkPooling(PoolingType.MAX, true);
    }

    @Test
    void withoutCollapsedDimensions() {
        checkPooling(PoolingType.AVG, false);
    }

    @Test
    void timeSeriesArePooledOverTime() {
        for (PoolingType type : new PoolingType[] {PoolingType.AVG, PoolingType.SUM, PoolingType.MAX}) {
            for (boolean collapse : new boolean[] {true, false}) {
                SplittableRandom r = new SplittableRandom(seed);
                SecureGlobalPoolingLayer conf = new SecureGlobalPoolingLayer.Builder(type).collapseDimensions(collapse)
                        .build();
                INDArray eps = collapse ? uniform(r, 2, 2, 3) : uniform(r, 2, 2, 3, 1);
                check(conf, Map.of(), input(r, 2, 3, 7), eps, LINEAR_TOL, LINEAR_TOL, false);
            }
        }
    }

    @Test
    void pnormIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SecureGlobalPoolingLayer.Builder(PoolingType.PNORM).name("gp").build());
        assertTrue(e.getMessage().contains("'gp'") && e.getMessage().contains("PNORM"), e.getMessage());
    }
}
