package org.fastcrypt4j.mpc;

/** Being written (issue 4). */
public final class FalconMsb implements MsbProtocol {
    @Override
    public SharedBits msb(Session s, SharedTensor x) {
        throw new UnsupportedOperationException("FalconMsb is being written");
    }
}
