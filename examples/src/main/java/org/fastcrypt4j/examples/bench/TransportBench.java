package org.fastcrypt4j.examples.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.Transport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j bench transport}: a rotating exchange (every party sends {@code --mib} MiB to the next
 * and receives as much from the previous, at the same time) between three parties in this JVM, over Aeron
 * IPC and UDP loopback, with and without frame protection, against plain blocking TCP sockets on loopback
 * doing the same rotation in the same run. Prints one JSON line per configuration: {@code mb_per_s} is
 * MiB moved per party per second (median of {@code --reps} rotations after one warm-up), {@code ratio} is
 * against the TCP baseline, and protected lines also give {@code protection_ratio} (protected / unprotected
 * on the same channel). {@code connect_ms} is the time to connect the three parties: for protected links the
 * Noise KK handshakes and the session-id agreement included.
 */
@Command(name = "transport", mixinStandardHelpOptions = true,
        description = "Rotating 3-party exchange over Aeron IPC/UDP (protected and not) against a TCP baseline.")
public final class TransportBench implements Callable<Integer> {

    @Option(names = "--mib", description = "MiB each party sends per rotation (default ${DEFAULT-VALUE}).")
    int mib = 64;

    @Option(names = "--reps", description = "Timed rotations per configuration (default ${DEFAULT-VALUE}).")
    int reps = 5;

    @Option(names = "--mtu", description = "Aeron MTU (default ${DEFAULT-VALUE}).")
    int mtu = AeronContext.DEFAULT_MTU_LENGTH;

    @Option(names = "--term-length", description = "Aeron term length (default ${DEFAULT-VALUE}).")
    int termLength = AeronContext.DEFAULT_TERM_LENGTH;

    @Option(names = "--chunk", description = "Payload bytes per frame (default ${DEFAULT-VALUE}).")
    int chunk = AeronContext.DEFAULT_CHUNK_LENGTH;

    @Option(names = "--driver-threading", description = "Media driver threading: SHARED, SHARED_NETWORK, DEDICATED"
            + " (default ${DEFAULT-VALUE}).")
    io.aeron.driver.ThreadingMode threading = io.aeron.driver.ThreadingMode.SHARED;

    @Option(names = "--socket-buffer", description = "UDP socket buffers and window (default ${DEFAULT-VALUE}).")
    int socketBuffer = AeronContext.DEFAULT_SOCKET_BUFFER_LENGTH;

    @Override
    public Integer call() throws Exception {
        int longs = mib * 1024 * 1024 / Long.BYTES;
        AeronContext.Channel[] channels = AeronContext.Channel.values();
        LocalParties[] nets = new LocalParties[2 * channels.length];
        double[] connectMs = new double[nets.length];
        double[][] secs = new double[nets.length + 1][reps];
        try (TcpRing tcp = new TcpRing(longs * Long.BYTES)) {
            for (int c = 0; c < channels.length; c++) {
                for (int k = 0; k < 2; k++) {
                    long t0 = System.nanoTime();
                    nets[2 * c + k] = open(channels[c], k == 0);
                    connectMs[2 * c + k] = (System.nanoTime() - t0) / 1e6;
                }
            }
            long[][] src = new long[3][longs];
            long[][] dst = new long[3][longs];
            for (int p = 0; p < 3; p++) {
                Arrays.fill(src[p], p * 0x0101010101010101L - 7);
            }
            // Configurations interleaved rotation by rotation, so load from other processes hits all alike.
            for (int r = -1; r < reps; r++) {
                for (int k = 0; k < nets.length; k++) {
                    double t = rotate(nets[k], src, dst);
                    if (r >= 0) {
                        secs[k][r] = t;
                    }
                }
                double t = tcp.rotate();
                if (r >= 0) {
                    secs[nets.length][r] = t;
                }
            }
            double base = mibPerSecond(secs[nets.length]);
            for (int c = 0; c < channels.length; c++) {
                double plain = mibPerSecond(secs[2 * c]);
                double prot = mibPerSecond(secs[2 * c + 1]);
                print(channels[c], "none", plain, base, Double.NaN, connectMs[2 * c]);
                print(channels[c], "noise-kk+aes-256-gcm", prot, base, prot / plain, connectMs[2 * c + 1]);
            }
        } finally {
            for (LocalParties n : nets) {
                if (n != null) {
                    n.close();
                }
            }
        }
        return 0;
    }

    private void print(AeronContext.Channel channel, String auth, double mbps, double tcp, double prot,
            double connectMs) {
        String extra = Double.isNaN(prot) ? "" : String.format(Locale.ROOT, ",\"protection_ratio\":%.3f", prot);
        System.out.printf(Locale.ROOT, "{\"bench\":\"transport\",\"channel\":\"%s\",\"auth\":\"%s\",\"mib_per_party\":%d,"
                        + "\"driver\":\"%s\",\"mtu\":%d,\"term_length\":%d,\"chunk\":%d,\"connect_ms\":%.1f,"
                        + "\"mb_per_s\":%.1f,\"baseline\":\"tcp-loopback\",\"baseline_mb_per_s\":%.1f,\"ratio\":%.3f%s}%n",
                channel.name().toLowerCase(Locale.ROOT), auth, mib, threading, mtu, termLength, chunk, connectMs, mbps,
                tcp, mbps / tcp, extra);
    }

    private LocalParties open(AeronContext.Channel channel, boolean trusted) {
        AeronContext ctx = new AeronContext().trustedNetwork(trusted).mtuLength(mtu)
                .termLength(termLength).chunkLength(chunk).driverThreadingMode(threading)
                .socketBufferLength(socketBuffer);
        return channel == AeronContext.Channel.IPC ? LocalParties.ipc(ctx) : LocalParties.udpLoopback(ctx);
    }

    /** One rotation; returns the seconds until the slowest party has received everything. */
    private static double rotate(LocalParties net, long[][] src, long[][] dst) {
        long t0 = System.nanoTime();
        net.run(t -> {
            int p = t.partyId();
            t.exchange("bench/rotate", t.next(), src[p], t.prev(), dst[p]);
            if (dst[p][dst[p].length - 1] != t.prev() * 0x0101010101010101L - 7) {
                throw new IllegalStateException("party " + p + " received wrong data");
            }
            return null;
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    /** MiB per second of the median rotation. */
    private double mibPerSecond(double[] seconds) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return mib / s[s.length / 2];
    }

    /** The same rotation over blocking TCP sockets on loopback: per party one writer and one reader thread. */
    private static final class TcpRing implements AutoCloseable {
        private final ServerSocket[] servers = new ServerSocket[3];
        private final Socket[] out = new Socket[3];
        private final Socket[] in = new Socket[3];
        private final byte[][] src;
        private final byte[][] dst;

        TcpRing(int bytes) throws IOException {
            InetAddress lo = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 3; i++) {
                servers[i] = new ServerSocket(0, 3, lo);
            }
            for (int i = 0; i < 3; i++) {
                out[i] = new Socket(lo, servers[Transport.next(i)].getLocalPort());
                out[i].setTcpNoDelay(true);
                in[Transport.next(i)] = servers[Transport.next(i)].accept();
            }
            src = new byte[3][bytes];
            dst = new byte[3][bytes];
        }

        double rotate() throws Exception {
            Thread[] th = new Thread[6];
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                OutputStream os = out[i].getOutputStream();
                InputStream is = in[i].getInputStream();
                byte[] s = src[i];
                byte[] d = dst[i];
                th[2 * i] = new Thread(() -> io(() -> os.write(s)));
                th[2 * i + 1] = new Thread(() -> io(() -> new DataInputStream(is).readFully(d)));
            }
            for (Thread t : th) {
                t.start();
            }
            for (Thread t : th) {
                t.join();
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public void close() throws IOException {
            for (int i = 0; i < 3; i++) {
                for (java.io.Closeable c : new java.io.Closeable[] {out[i], in[i], servers[i]}) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new IllegalStateException("TCP baseline failed", e);
        }
    }
}
