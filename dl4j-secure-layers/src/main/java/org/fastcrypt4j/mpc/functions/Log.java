package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * Natural logarithm on shares for x in [1, 100], with CrypTen's method (crypten/common/functions/approximations.py,
 * {@code log}: an initial guess, then Householder iterations of order 8):
 * <ol>
 *   <li>y = x / 120 - 20 exp(-2x - 1) + 3 (one {@link Exp}, local linear parts).</li>
 *   <li>Twice: h = 1 - x exp(-y) (one exp, one product); y = y - (h + h^2/2 + ... + h^8/8) (seven products, the
 *       weighted sum truncated once).</li>
 * </ol>
 * Used for the cross-entropy loss, whose only logarithm is of a row sum of exponentials in [1, classes]
 * ({@link Softmax#crossEntropyLoss}). Accuracy: the iterations converge to the root of x exp(-y) = 1 with the
 * approximate {@link Exp}, whose relative error is about y^2 / 2^9 at -y, so log x comes out low by about
 * (log x)^2 / 2^9: 1e-3 at x = 2, 1e-2 at x = 10, 4e-2 at x = 100 (tests allow 1.5 (log x)^2 / 2^9 + 2e-3). Enough
 * for a progress display of the loss; not an exact logarithm.
 * Cost: 3 exps and 2 x 8 products: about 100 rounds of causal depth, about 26 fixed-point products per element.
 * Nothing is opened.
 */
public final class Log {

    private Log() {
    }

    public static SharedTensor log(Session s, SharedTensor x) {
        int f = s.fractionalBits();
        SharedTensor t = Exp.exp(s, x.mul(-2).addPublic(FixedPointOps.encode(-1, f)));
        SharedTensor y = FixedPointOps.mulConstant(s, x, 1.0 / 120).sub(t.mul(20)).addPublic(FixedPointOps.encode(3, f));
        for (int it = 0; it < 2; it++) {
            SharedTensor h = FixedPointOps.mul(s, x, Exp.exp(s, y.neg())).neg().addPublic(FixedPointOps.encode(1, f));
            SharedTensor power = h;
            SharedTensor weighted = h.mul(FixedPointOps.encode(1, f));
            for (int k = 2; k <= 8; k++) {
                power = FixedPointOps.mul(s, power, h);
                weighted = weighted.add(power.mul(FixedPointOps.encode(1.0 / k, f)));
            }
            y = y.sub(Truncation.truncate(s, weighted, f));
        }
        return y;
    }
}
