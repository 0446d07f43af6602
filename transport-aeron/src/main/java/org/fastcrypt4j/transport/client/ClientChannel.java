package org.fastcrypt4j.transport.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

import org.fastcrypt4j.transport.noise.CipherState;
import org.fastcrypt4j.transport.noise.NoiseException;
import org.fastcrypt4j.transport.noise.NoiseKK;

/**
 * An authenticated, encrypted, ordered message channel between a client and one of the three servers, over TCP.
 *
 * <p><b>Handshake.</b> Noise {@code KK} ({@value NoiseKK#PROTOCOL_NAME}, the pattern the servers' own links use):
 * the client knows the server's static key from the parties file, the server knows the client's from its clients
 * file, so both are authenticated and every connection gets fresh traffic keys (forward secrecy). Before the
 * handshake the client names itself in a cleartext hello ({@code "FC4JCLI1"}, the server id it means, its name), so
 * the server knows which pinned key to expect; the prologue binds the name and the server id. A server that does not
 * know the name, or whose handshake fails, answers with a cleartext refusal and closes; the client shows it as an
 * unauthenticated notice. KK's first message can be replayed, so the server acts on nothing before the client's
 * first transport message, which only the live client can produce (Noise section 7.7). TLS 1.3 with pinned keys was
 * the alternative; Noise KK needs no certificates (X25519 keys cannot sign one) and is the design the servers' links
 * already use and test against published vectors.
 *
 * <p><b>Frames.</b> {@code [u32 length][AES-256-GCM(plaintext) || tag]}, big-endian length, at most
 * {@link #MAX_FRAME} bytes of plaintext, nonce = the direction's frame counter, the length as additional data.
 * A message is one or more frames; its first frame's plaintext starts with {@code [u8 tag length][tag][u64 message
 * length]}. The receiver checks a message's length against the limit it gives before allocating anything. A frame
 * that does not authenticate ends the channel: TCP delivers a byte stream, so a tampered byte cannot be dropped the
 * way a forged UDP datagram can, and the channel fails closed naming the peer.
 *
 * <p>Not thread safe for concurrent sends or concurrent receives; one sender and one receiver thread may run at once.
 */
public final class ClientChannel implements AutoCloseable {
    /** Largest plaintext per frame. */
    public static final int MAX_FRAME = 1 << 20;
    private static final byte[] MAGIC = "FC4JCLI1".getBytes(StandardCharsets.US_ASCII);
    private static final int REFUSAL = 0xFFFF;
    private static final int TAG_BYTES = 16;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final CipherState tx;
    private final CipherState rx;
    private final String peerName;
    private final String selfName;
    private long txNonce;
    private long rxNonce;
    private long bytesSent;
    private long bytesReceived;
    private final byte[] frame = new byte[MAX_FRAME + TAG_BYTES];
    private final byte[] plain = new byte[MAX_FRAME];
    private volatile java.util.function.Consumer<Message> audit;

    /** One received message. */
    public record Message(String tag, byte[] data) {
        /** The payload as little-endian longs. */
        public long[] longs() {
            if (data.length % Long.BYTES != 0) {
                throw new ClientLinkException("message '" + tag + "' of " + data.length + " bytes is not a whole number"
                        + " of 8-byte values");
            }
            long[] v = new long[data.length / Long.BYTES];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
            return v;
        }
    }

    private ClientChannel(Socket socket, DataInputStream in, DataOutputStream out, CipherState tx, CipherState rx,
            String selfName, String peerName) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.tx = tx;
        this.rx = rx;
        this.selfName = selfName;
        this.peerName = peerName;
    }

    static byte[] prologue(String clientName, int serverId) {
        return ("fastcrypt4j client v1 " + clientName + " -> server " + serverId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Connects client {@code name} (key pair {@code mine}) to server {@code serverId} at {@code host:port}, whose
     * pinned key is {@code serverKey}; runs the handshake within {@code timeout}.
     *
     * @throws ClientLinkException naming the server: unreachable (a server not listening is tried again until the
     *         timeout: it may be restarting), refused (with its unauthenticated reason), or not holding the pinned key
     */
    public static ClientChannel connect(String host, int port, String name, KeyPair mine, int serverId,
            PublicKey serverKey, Duration timeout) {
        String who = "server " + serverId + " at " + host + ":" + port;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                    break;
                } catch (java.net.ConnectException e) {
                    // not listening (yet): a server starting or restarting; try again within the timeout
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    close(s);
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
                    s = new Socket();
                    s.setTcpNoDelay(true);
                }
            }
            s.setSoTimeout((int) timeout.toMillis());
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16));
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            out.write(MAGIC);
            out.writeByte(serverId);
            out.writeShort(n.length);
            out.write(n);
            NoiseKK noise = NoiseKK.initiator(mine, serverKey, prologue(name, serverId));
            byte[] m1 = noise.writeMessage(new byte[0]);
            out.writeShort(m1.length);
            out.write(m1);
            out.flush();
            int len = in.readUnsignedShort();
            if (len == REFUSAL) {
                byte[] why = in.readNBytes(Math.min(in.readUnsignedShort(), 1024));
                throw new ClientLinkException(who + " refused the connection: " + new String(why, StandardCharsets.UTF_8)
                        + " (unauthenticated notice)");
            }
            byte[] m2 = in.readNBytes(len);
            try {
                noise.readMessage(m2);
            } catch (NoiseException e) {
                throw new ClientLinkException(who + " did not authenticate: it does not hold the key the parties file"
                        + " pins for server " + serverId);
            }
            NoiseKK.Split split = noise.split();
            s.setSoTimeout(0);
            return new ClientChannel(s, in, out, split.initiatorToResponder(), split.responderToInitiator(), name,
                    "server " + serverId);
        } catch (SocketTimeoutException e) {
            close(s);
            throw new ClientLinkException(who + ": no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            close(s);
            throw new ClientLinkException(who + " cannot be reached: " + e.getMessage());
        } catch (RuntimeException e) {
            close(s);
            throw e;
        }
    }

    /**
     * The server's side: reads the hello and the handshake from an accepted socket, with the client's pinned key
     * looked up by name ({@code clientKeys} returns null for an unknown client).
     *
     * @throws ClientLinkException for an unknown client, a handshake that does not authenticate, or a malformed
     *         hello (the client was sent a refusal)
     */
    public static ClientChannel accept(Socket s, int serverId, KeyPair mine, Function<String, PublicKey> clientKeys,
            Duration timeout) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) timeout.toMillis());
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw refuse(s, out, "not a FastCrypt4J client (bad hello)");
            }
            int target = in.readUnsignedByte();
            if (target != serverId) {
                throw refuse(s, out, "this is server " + serverId + ", not server " + target);
            }
            int nameLength = in.readUnsignedShort();
            if (nameLength == 0 || nameLength > 256) {
                throw refuse(s, out, "client name of " + nameLength + " bytes");
            }
            String name = new String(in.readNBytes(nameLength), StandardCharsets.UTF_8);
            PublicKey theirs = clientKeys.apply(name);
            int m1Length = in.readUnsignedShort();
            if (m1Length > 1024) {
                throw refuse(s, out, "handshake message of " + m1Length + " bytes");
            }
            byte[] m1 = in.readNBytes(m1Length);
            if (theirs == null) {
                throw refuse(s, out, "no client '" + name + "' in server " + serverId + "'s clients file");
            }
            NoiseKK noise = NoiseKK.responder(mine, theirs, prologue(name, serverId));
            try {
                noise.readMessage(m1);
            } catch (NoiseException e) {
                throw refuse(s, out, "the handshake of client '" + name + "' did not authenticate: the key pinned for it"
                        + " in server " + serverId + "'s clients file is not its key, or the server key it pins is not"
                        + " server " + serverId + "'s");
            }
            byte[] m2 = noise.writeMessage(new byte[0]);
            out.writeShort(m2.length);
            out.write(m2);
            out.flush();
            NoiseKK.Split split = noise.split();
            s.setSoTimeout(0);
            return new ClientChannel(s, in, out, split.responderToInitiator(), split.initiatorToResponder(),
                    "server " + serverId, "client '" + name + "'");
        } catch (IOException e) {
            close(s);
            throw new ClientLinkException("server " + serverId + ": a client connection failed during the handshake: "
                    + e.getMessage());
        }
    }

    private static ClientLinkException refuse(Socket s, DataOutputStream out, String why) {
        try {
            byte[] w = why.getBytes(StandardCharsets.UTF_8);
            out.writeShort(REFUSAL);
            out.writeShort(w.length);
            out.write(w);
            out.flush();
        } catch (IOException ignored) {
            // the refusal is a courtesy
        }
        close(s);
        return new ClientLinkException(why);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** "server 1" at a client, "client 'alice'" at a server. */
    public String peer() {
        return peerName;
    }

    /** The client's name (at the server: as authenticated by the handshake). */
    public String clientName() {
        String p = selfName.startsWith("client '") ? selfName : peerName;
        return p.startsWith("client '") ? p.substring(8, p.length() - 1) : selfName;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Sends a message of {@code data.length} bytes tagged {@code tag}. */
    public synchronized void send(String tag, byte[] data) {
        send(tag, data, 0, data.length);
    }

    /** Sends {@code values} as little-endian longs. */
    public void send(String tag, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        send(tag, b.array());
    }

    private synchronized void send(String tag, byte[] data, int offset, int length) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        if (t.length == 0 || t.length > 255) {
            throw new IllegalArgumentException("tag of " + t.length + " bytes");
        }
        try {
            int head = 1 + t.length + 8;
            int pos = 0;
            boolean first = true;
            do {
                int at = 0;
                if (first) {
                    plain[at++] = (byte) t.length;
                    System.arraycopy(t, 0, plain, at, t.length);
                    at += t.length;
                    ByteBuffer.wrap(plain, at, 8).putLong(length);
                    at += 8;
                }
                int n = Math.min(MAX_FRAME - (first ? head : 0), length - pos);
                System.arraycopy(data, offset + pos, plain, at, n);
                at += n;
                pos += n;
                writeFrame(at);
                first = false;
            } while (pos < length);
            out.flush();
        } catch (IOException e) {
            throw new ClientLinkException(selfName + ": the link to " + peerName + " is lost (" + e.getMessage() + ")");
        }
    }

    private void writeFrame(int plainLength) throws IOException {
        byte[] ad = ByteBuffer.allocate(4).putInt(plainLength + TAG_BYTES).array();
        int len = tx.encrypt(txNonce++, ad, 0, 4, null, 0, 0, plain, 0, plainLength, frame, 0);
        out.write(ad);
        out.write(frame, 0, len);
        bytesSent += 4 + len;
    }

    private int readFrame() throws IOException {
        int len = in.readInt();
        if (len < TAG_BYTES || len > MAX_FRAME + TAG_BYTES) {
            throw new ClientLinkException(selfName + ": frame of " + len + " bytes from " + peerName
                    + " (the link is corrupted)");
        }
        in.readFully(frame, 0, len);
        bytesReceived += 4 + len;
        byte[] ad = ByteBuffer.allocate(4).putInt(len).array();
        try {
            return rx.decrypt(rxNonce++, ad, 0, 4, null, 0, 0, frame, 0, len, plain, 0);
        } catch (NoiseException e) {
            throw new ClientLinkException(selfName + ": a frame from " + peerName + " did not authenticate; the link"
                    + " is closed (tampered with, or not from " + peerName + ")");
        }
    }

    /**
     * Receives the next message, refusing one longer than {@code maxBytes} before allocating it.
     *
     * @throws ClientLinkException naming the peer when the link closes, a frame does not authenticate, or the
     *         message exceeds the limit
     */
    public Message receive(long maxBytes) {
        try {
            int n = readFrame();
            if (n < 1) {
                throw new ClientLinkException(selfName + ": empty frame from " + peerName);
            }
            int tl = plain[0] & 0xff;
            if (n < 1 + tl + 8) {
                throw new ClientLinkException(selfName + ": malformed message header from " + peerName);
            }
            String tag = new String(plain, 1, tl, StandardCharsets.UTF_8);
            long length = ByteBuffer.wrap(plain, 1 + tl, 8).getLong();
            if (length < 0 || length > maxBytes) {
                throw new ClientLinkException(selfName + ": " + peerName + " sent a message '" + tag + "' of "
                        + length + " bytes, more than the " + maxBytes + " accepted here");
            }
            byte[] data = new byte[(int) length];
            int at = n - (1 + tl + 8);
            if (at > length) {
                throw new ClientLinkException(selfName + ": message '" + tag + "' from " + peerName
                        + " carries more bytes than it declares");
            }
            System.arraycopy(plain, 1 + tl + 8, data, 0, at);
            while (at < length) {
                int k = readFrame();
                if (k > length - at) {
                    throw new ClientLinkException(selfName + ": message '" + tag + "' from " + peerName
                            + " carries more bytes than it declares");
                }
                System.arraycopy(plain, 0, data, at, k);
                at += k;
            }
            Message m = new Message(tag, data);
            java.util.function.Consumer<Message> a = audit;
            if (a != null) {
                a.accept(m);
            }
            return m;
        } catch (EOFException e) {
            throw new ClientLinkException(selfName + ": " + peerName + " closed the link");
        } catch (IOException e) {
            throw new ClientLinkException(selfName + ": the link to " + peerName + " is lost (" + e.getMessage() + ")");
        }
    }

    /**
     * Receives the next message, which must be tagged {@code tag} and hold at most {@code maxBytes} bytes.
     *
     * @throws ClientLinkException for another tag (with the peer's error text when it sent one)
     */
    public Message receive(String tag, long maxBytes) {
        Message m = receive(Math.max(maxBytes, ERROR_LIMIT));
        if (m.tag().equals(ERROR_TAG)) {
            throw new ClientLinkException(new String(m.data(), StandardCharsets.UTF_8));
        }
        if (!m.tag().equals(tag)) {
            throw new ClientLinkException(selfName + ": expected '" + tag + "' from " + peerName + ", got '" + m.tag()
                    + "'");
        }
        if (m.data().length > maxBytes) {
            throw new ClientLinkException(selfName + ": " + peerName + " sent '" + tag + "' of " + m.data().length
                    + " bytes, more than the " + maxBytes + " accepted here");
        }
        return m;
    }

    /** Tag of an error report: its text is shown to the receiver as the reason its request failed. */
    public static final String ERROR_TAG = "error";
    private static final int ERROR_LIMIT = 4096;

    /** Tells the peer why its request failed (best effort: the link may be gone). */
    public void sendError(String message) {
        try {
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            send(ERROR_TAG, Arrays.copyOf(m, Math.min(m.length, ERROR_LIMIT)));
        } catch (ClientLinkException ignored) {
            // the peer is gone
        }
    }

    /**
     * Hands every message received from now on, as decrypted, to {@code a} (null: stop): an audit of exactly what
     * this end learns from its peer (a server's record of what clients sent it).
     */
    public void audit(java.util.function.Consumer<Message> a) {
        audit = a;
    }

    /** Sets how long a receive may wait (0: forever) before it fails naming the peer. */
    public void receiveTimeout(Duration d) {
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, d.toMillis()));
        } catch (IOException e) {
            throw new ClientLinkException(selfName + ": " + e.getMessage());
        }
    }

    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() {
        tx.destroy();
        rx.destroy();
        close(socket);
    }
}
