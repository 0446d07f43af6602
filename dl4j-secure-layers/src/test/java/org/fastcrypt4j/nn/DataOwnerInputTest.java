package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.ring.FixedPoint;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The data owner checks every value against the range the protocols support before anything leaves it: a value too
 * large (1e6, which would wrap silently inside training), NaN or infinite is refused naming the row, the position and
 * the limit, never the value; values inside, negative ones and those near the limit included, are shared exactly.
 */
class DataOwnerInputTest {

    @Test
    void theLimitFollowsTheFractionalBits() {
        assertEquals(2048.0, DataOwnerInput.inputLimit(20));
        assertEquals(128.0, DataOwnerInput.inputLimit(24));
    }

    @Test
    void outOfRangeValuesAreRefusedAtTheOwnerNamingThePositionNotTheValue() {
        for (double bad : new double[] {1e6, -2048, Double.NaN, Double.POSITIVE_INFINITY}) {
            INDArray x = Nd4j.zeros(DataType.DOUBLE, 3, 5);
            x.putScalar(1, 3, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PartyThreads.runInProcess(MpcSettings.defaults(), s -> new DataOwnerInput(s,
                            FixedPoint.withFractionalBits(s.fractionalBits())).share(1, s.party() == 1 ? x : null,
                            "feature")));
            String m = e.getMessage();
            assertTrue(m.contains("party 1") && m.contains("feature value 3 of row 1") && m.contains("2048"), m);
            assertFalse(m.contains("1000000") || m.contains("1.0E6"), "the value leaked into the message: " + m);
        }
    }

    @Test
    void valuesInsideTheRangeAreSharedExactly() {
        INDArray x = Nd4j.createFromArray(new double[][] {{-2047.5, 0.25, 2047.75}, {-1e-3, 7, -300}});
        List<INDArray> out = PartyThreads.runInProcess(MpcSettings.defaults(), s -> {
            FixedPoint fp = FixedPoint.withFractionalBits(s.fractionalBits());
            var shared = new DataOwnerInput(s, fp).share(1, s.party() == 1 ? x : null, "feature");
            return fp.decode(Sharing.revealToAll(s, shared), DataType.DOUBLE);
        });
        for (INDArray got : out) {
            assertTrue(got.sub(x).amaxNumber().doubleValue() < 1e-6, got.toString());
        }
    }
}
