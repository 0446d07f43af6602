package org.fastcrypt4j.nn;

import java.util.List;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.Transport;

/** Runs a body for the three parties in this JVM over authenticated Aeron IPC links. */
final class ThreeParties {
    private ThreeParties() {
    }

    static <T> List<T> run(MpcSettings settings, PartyThreads.PartyBody<T> body) {
        try (LocalParties net = LocalParties.ipc(new AeronContext())) {
            return PartyThreads.run(settings, new Transport[] {net.party(0), net.party(1), net.party(2)}, body);
        }
    }

    /** As {@link #run}, the parties holding the static key pairs {@code keys} (and the parties file of {@code net}). */
    static <T> List<T> run(java.security.KeyPair[] keys, java.util.function.Function<LocalParties, PartyThreads.PartyBody<T>> body) {
        try (LocalParties net = LocalParties.ipc(new AeronContext(), keys)) {
            return PartyThreads.run(MpcSettings.defaults(), new Transport[] {net.party(0), net.party(1), net.party(2)},
                    body.apply(net));
        }
    }

    static <T> List<T> run(PartyThreads.PartyBody<T> body) {
        return run(MpcSettings.defaults(), body);
    }
}
