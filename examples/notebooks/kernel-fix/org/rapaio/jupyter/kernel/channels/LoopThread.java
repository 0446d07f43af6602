package org.rapaio.jupyter.kernel.channels;

/**
 * Drop-in replacement for rapaio-jupyter-kernel 3.0.1's {@code LoopThread} (same name, constructor and
 * methods), put before the kernel jar on the kernel's class path by {@code examples/notebooks/run.sh}.
 *
 * <p>Why: 3.0.1 sets its {@code running} flag after {@code Thread.start()}, so a loop thread that the
 * scheduler runs at once sees {@code false} and ends before its first poll. The channel it serves (shell,
 * control or heartbeat) then never answers: on the 2-core machine 2 kernel starts in 15 hung with
 * "Kernel didn't respond". Here the flag is true from construction, so the loop always starts.
 */
public final class LoopThread extends Thread {

    private final long sleepMillis;
    private final Runnable loopBody;
    private volatile boolean running = true;

    public LoopThread(String name, long sleepMillis, Runnable loopBody) {
        super(name);
        this.sleepMillis = sleepMillis;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** Ends the loop after the current iteration. */
    public void shutdown() {
        running = false;
    }
}
