package org.fastcrypt4j.nn;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.FixedPoint;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The gradient-check oracle's input sharing (party 0 owns the value), for tests outside that class hierarchy. */
final class LayerGradientCheckAccess {
    private LayerGradientCheckAccess() {
    }

    static SharedTensor share(Session s, FixedPoint fp, INDArray v) {
        return LayerGradientCheck.share(s, fp, v);
    }
}
