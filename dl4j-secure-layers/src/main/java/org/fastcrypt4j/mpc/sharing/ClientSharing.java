package org.fastcrypt4j.mpc.sharing;

import java.security.SecureRandom;
import java.util.Arrays;

import org.fastcrypt4j.ring.AesCtrPrg;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Sharing between a client and the three servers (the outsourced setting of CryptGPU, Falcon and Piranha), with the
 * client outside the computation.
 *
 * <p><b>Upload: 2 ring elements per input element.</b> The client draws two fresh 128-bit seeds s0, s1 and sets
 * x0 = F(s0), x1 = F(s1) (AES-CTR, {@link AesCtrPrg}) and x2 = x - x0 - x1. Server i holds (x_i, x_{i+1}):
 * <pre>
 *   S0 (x0, x1): s0, s1          32 bytes
 *   S1 (x1, x2): s1, x2 in full  16 + 8n bytes
 *   S2 (x2, x0): x2 in full, s0  8n + 16 bytes
 * </pre>
 * Each server alone sees two components that are uniform and independent of x (the third is the one it lacks). The
 * two holders of each component check they got the same one ({@link #digest}), so a client that sends inconsistent
 * pieces is caught before they are used.
 *
 * <p><b>Download: the client reconstructs.</b> To return a result to a client, each server sends one component of a
 * freshly re-randomised 3-out-of-3 sharing, {@code z_i = x_i + alpha_i} with alpha a zero sharing from the pairwise
 * keys ({@code Sharing.revealToClient}); any two of them are uniform, so the client learns x and nothing about how it
 * was computed, and a server's component alone is uniform. 8 bytes per element from each server.
 */
public final class ClientSharing {
    private ClientSharing() {
    }

    /** One tensor shared by a client: the two seeds and the full component. */
    public record Upload(byte[] seed0, byte[] seed1, long[] x2, long[] shape) {
        /** The seeds server {@code i} gets, in the order of the components it holds. */
        public byte[] seedsFor(int server) {
            return switch (server) {
                case 0 -> concat(seed0, seed1);
                case 1 -> seed1.clone();
                case 2 -> seed0.clone();
                default -> throw new IllegalArgumentException("no server " + server);
            };
        }

        /** The full component server {@code i} gets (x2), or an empty array for server 0. */
        public long[] fullFor(int server) {
            return server == 0 ? new long[0] : x2;
        }
    }

    /** The client shares {@code x} (already encoded) with fresh seeds from {@code random}. */
    public static Upload share(RingTensor x, SecureRandom random) {
        byte[] s0 = new byte[AesCtrPrg.SEED_BYTES];
        byte[] s1 = new byte[AesCtrPrg.SEED_BYTES];
        random.nextBytes(s0);
        random.nextBytes(s1);
        long[] shape = x.shape();
        RingTensor x2 = x.sub(new AesCtrPrg(s0).nextRing(shape)).subi(new AesCtrPrg(s1).nextRing(shape));
        return new Upload(s0, s1, x2.toLongArray(), shape.clone());
    }

    /**
     * Server {@code party}'s replicated share (x_party, x_party+1) of an upload of {@code shape}, from the seeds and
     * the full component it received.
     *
     * @throws IllegalArgumentException if the pieces do not have the sizes the shape asks for
     */
    public static SharedTensor receive(int party, byte[] seeds, long[] full, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        int seedBytes = AesCtrPrg.SEED_BYTES;
        int expectSeeds = party == 0 ? 2 * seedBytes : seedBytes;
        long expectFull = party == 0 ? 0 : n;
        if (seeds.length != expectSeeds || full.length != expectFull) {
            throw new IllegalArgumentException("server " + party + ": an upload of shape " + Arrays.toString(shape)
                    + " needs " + expectSeeds + " seed bytes and " + expectFull + " values, got " + seeds.length
                    + " and " + full.length);
        }
        return switch (party) {
            case 0 -> new SharedTensor(0, new AesCtrPrg(Arrays.copyOf(seeds, seedBytes)).nextRing(shape),
                    new AesCtrPrg(Arrays.copyOfRange(seeds, seedBytes, 2 * seedBytes)).nextRing(shape));
            case 1 -> new SharedTensor(1, new AesCtrPrg(seeds).nextRing(shape), RingTensor.of(full, shape));
            case 2 -> new SharedTensor(2, RingTensor.of(full, shape), new AesCtrPrg(seeds).nextRing(shape));
            default -> throw new IllegalArgumentException("no server " + party);
        };
    }

    /**
     * What the two holders of each component compare to check an upload is consistent: SHA-256 over the seeds and
     * the full component this server received for the component it shares with {@code peer}. Both holders know the
     * component, so the digest tells neither anything new.
     */
    public static byte[] digest(int party, int peer, byte[] seeds, long[] full) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            int shared = sharedComponent(party, peer);
            if (shared == 2) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(full.length * Long.BYTES);
                b.asLongBuffer().put(full);
                sha.update(b.array());
            } else {
                sha.update(seedOf(party, shared, seeds));
            }
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The component parties a and b both hold (party i holds i and i + 1): the one the third party c lacks, c + 2. */
    static int sharedComponent(int a, int b) {
        return (3 - a - b + 2) % 3;
    }

    private static byte[] seedOf(int party, int component, byte[] seeds) {
        int n = AesCtrPrg.SEED_BYTES;
        if (party == 0) {
            return Arrays.copyOfRange(seeds, component * n, (component + 1) * n);
        }
        return seeds;
    }

    /** The client's result: the sum of the three servers' components. */
    public static RingTensor reconstruct(RingTensor z0, RingTensor z1, RingTensor z2) {
        return z0.add(z1).addi(z2);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
