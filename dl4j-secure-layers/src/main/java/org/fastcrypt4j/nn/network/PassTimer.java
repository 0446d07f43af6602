package org.fastcrypt4j.nn.network;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.transport.TrafficStats;

/** Runs passes through the {@link LayerProfiler} when one is set: time, bytes and rounds per protocol step. */
public final class PassTimer {
    private final Session session;
    private LayerProfiler profiler;

    public PassTimer(Session session) {
        this.session = session;
    }

    /** Profiles every pass from now on (null: stop). */
    public void setProfiler(LayerProfiler p) {
        profiler = p;
    }

    /** Runs {@code f}, reporting it as {@code what} / {@code phase} when profiling. */
    public SharedTensor timed(String what, String phase, Supplier<SharedTensor> f) {
        if (profiler == null) {
            return f.get();
        }
        Map<String, TrafficStats.Counter> before = session.stats().snapshot();
        long depth = session.stats().depth();
        long t0 = System.nanoTime();
        SharedTensor out = f.get();
        long nanos = System.nanoTime() - t0;
        Map<String, long[]> steps = new TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, TrafficStats.Counter> e : session.stats().snapshot().entrySet()) {
            TrafficStats.Counter b = before.get(e.getKey());
            long db = e.getValue().bytesSent() - (b == null ? 0 : b.bytesSent());
            long dm = e.getValue().messagesSent() - (b == null ? 0 : b.messagesSent());
            long dr = e.getValue().rounds() - (b == null ? 0 : b.rounds());
            if (db != 0 || dm != 0 || dr != 0) {
                steps.put(e.getKey(), new long[] {db, dm, dr});
                bytes += db;
            }
        }
        profiler.record(what, phase, nanos, bytes, session.stats().depth() - depth, steps);
        return out;
    }
}
