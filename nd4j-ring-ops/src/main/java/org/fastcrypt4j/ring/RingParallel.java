package org.fastcrypt4j.ring;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Data-parallel loops of the CPU kernels on one JVM-wide pool of {@code cores - 1} daemon workers, where the
 * calling thread works too and, once no task is left to start, <em>blocks</em> (it never spins).
 *
 * <p>Why not parallel streams: three parties in one JVM call the kernels at the same time, and the common
 * fork-join pool's callers spin in {@code helpComplete} while its one worker (two cores) runs their tasks; a
 * LeNet training step spent 16% of its CPU samples there (JFR, 2026-12-02). Here every task index is taken by
 * whichever thread is free first (the caller included), so a caller whose helpers are busy with another party's
 * loop simply runs all of its tasks itself, and the loop never waits for a task that has not started.
 */
public final class RingParallel {

    private static final int WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    private static final ExecutorService POOL = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "fastcrypt4j-ring-kernel");
        t.setDaemon(true);
        return t;
    });

    /** Set on pool threads: a loop started from inside a task runs inline (no nested fan-out). */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private RingParallel() {
    }

    /** The threads a loop may use: the caller and the pool's workers. */
    public static int threads() {
        return WORKERS + 1;
    }

    /**
     * Runs {@code body.accept(t)} for every t in {@code [0, tasks)}, each exactly once, and returns when all have
     * finished; the first exception of a task is rethrown (the other tasks still run to the end).
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || INSIDE.get()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        Loop loop = new Loop(tasks, body);
        int helpers = Math.min(WORKERS, tasks - 1);
        for (int h = 0; h < helpers; h++) {
            POOL.execute(loop::help);
        }
        loop.work();
        loop.await();
    }

    private static final class Loop {
        private final int tasks;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private int done;

        Loop(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        void help() {
            INSIDE.set(Boolean.TRUE);
            try {
                work();
            } finally {
                INSIDE.set(Boolean.FALSE);
            }
        }

        /** Takes task indices until none is left. */
        void work() {
            int finished = 0;
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                finished++;
            }
            if (finished > 0) {
                synchronized (this) {
                    done += finished;
                    if (done == tasks) {
                        notifyAll();
                    }
                }
            }
        }

        void await() {
            boolean interrupted = false;
            synchronized (this) {
                while (done < tasks) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable e = failure.get();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                throw new IllegalStateException("ring kernel task failed", e);
            }
        }
    }
}
