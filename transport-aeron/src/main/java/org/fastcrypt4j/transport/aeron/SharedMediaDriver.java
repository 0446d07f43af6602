package org.fastcrypt4j.transport.aeron;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * The one embedded Aeron media driver (and client) of this JVM, shared by every {@link AeronTransport} in
 * it and reference counted: the first {@link #acquire} removes directories left by killed processes and starts
 * the driver in a fresh directory only this user can enter ({@link AeronDirectories}), the last {@link #release}
 * closes it and deletes the directory. The driver runs on one thread (shared threading
 * mode) with a backoff idle strategy that parks, so three parties and the driver fit on two cores. Driver
 * wide settings (timeouts, socket buffers, initial window) come from the first acquirer's context.
 */
final class SharedMediaDriver {
    private static int references;
    private static MediaDriver driver;
    private static Aeron aeron;
    private static Path directory;

    private SharedMediaDriver() {
    }

    static synchronized Aeron acquire(AeronContext ctx) {
        if (references == 0) {
            Path base = AeronDirectories.base();
            AeronDirectories.removeStale(base);
            directory = AeronDirectories.createPrivate(base);
            MediaDriver.Context dc = new MediaDriver.Context()
                    .aeronDirectoryName(directory.toString())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .threadingMode(ctx.driverThreadingMode())
                    .sharedIdleStrategy(idle())
                    .senderIdleStrategy(idle())
                    .receiverIdleStrategy(idle())
                    .conductorIdleStrategy(idle())
                    .sharedNetworkIdleStrategy(idle())
                    .publicationTermBufferLength(ctx.termLength())
                    .ipcTermBufferLength(ctx.termLength())
                    .mtuLength(ctx.mtuLength())
                    .socketRcvbufLength(ctx.socketBufferLength())
                    .socketSndbufLength(ctx.socketBufferLength())
                    .initialWindowLength(ctx.socketBufferLength())
                    .imageLivenessTimeoutNs(ctx.peerTimeout().toNanos())
                    .publicationConnectionTimeoutNs(ctx.peerTimeout().toNanos())
                    .warnIfDirectoryExists(false);
            try {
                driver = MediaDriver.launch(dc);
                aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            } catch (RuntimeException e) {
                if (driver != null) {
                    driver.close();
                }
                driver = null;
                AeronDirectories.deletePrivate(directory);
                throw e;
            }
        }
        references++;
        return aeron;
    }

    private static BackoffIdleStrategy idle() {
        return new BackoffIdleStrategy(64, 64, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
    }

    static synchronized void release() {
        if (references == 0) {
            return;
        }
        if (--references == 0) {
            aeron.close();
            driver.close();
            AeronDirectories.deletePrivate(directory);
            aeron = null;
            driver = null;
        }
    }
}
