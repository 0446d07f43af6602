package org.fastcrypt4j.nn;

import java.util.List;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.PartyThreads;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
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

    /** As {@link #run}, but each party's session continues the PRG streams of {@code states[party]}. */
    static <T> List<T> runResumed(MpcSettings settings, org.fastcrypt4j.mpc.sharing.Session.PrgStates[] states,
            PartyThreads.PartyBody<T> body) {
        try (LocalParties net = LocalParties.ipc(new AeronContext())) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<T>> fs = new java.util.ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    Transport t = net.party(p);
                    int id = p;
                    fs.add(pool.submit(() -> {
                        try {
                            return body.run(org.fastcrypt4j.mpc.sharing.Session.restore(t, settings,
                                    org.fastcrypt4j.mpc.sharing.Session.LinkPolicy.REQUIRE_PROTECTED, states[id]));
                        } catch (Throwable e) {
                            t.close();
                            throw e;
                        }
                    }));
                }
                List<T> out = new java.util.ArrayList<>();
                for (java.util.concurrent.Future<T> f : fs) {
                    out.add(f.get(300, java.util.concurrent.TimeUnit.SECONDS));
                }
                return out;
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static <T> List<T> run(PartyThreads.PartyBody<T> body) {
        return run(MpcSettings.defaults(), body);
    }
}
