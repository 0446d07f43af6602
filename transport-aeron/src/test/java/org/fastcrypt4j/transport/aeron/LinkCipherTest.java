package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.FrameRejectedException;

class LinkCipherTest {
    private final KeyPair a = PartyKeys.generate();
    private final KeyPair b = PartyKeys.generate();
    private final long seed = 0xC0FFEEL;

    private byte[] frame(LinkCipher tx, byte[] payload, int[] lengthOut) {
        byte[] f = new byte[FrameHeader.LENGTH + payload.length + LinkCipher.maxOverhead(payload.length)];
        FrameHeader h = new FrameHeader().wrap(f);
        h.tag("mul/open".getBytes());
        h.write(tx.nextSequence(), 7, payload.length, 0, payload.length);
        System.arraycopy(payload, 0, f, FrameHeader.LENGTH, payload.length);
        lengthOut[0] = tx.seal(f, payload.length);
        return f;
    }

    private int open(LinkCipher rx, byte[] f, int len, byte[] dst) {
        return rx.open(f, len, new FrameHeader().wrap(f), dst, 0);
    }

    @Test
    void roundTripForgeryReplayTruncation() {
        LinkCipher[] d = Handshakes.direction01(Handshakes.run(a, b));
        LinkCipher tx = d[0];
        LinkCipher rx = d[1];
        byte[] p = new byte[1000];
        new SplittableRandom(seed).nextBytes(p);
        int[] len = new int[1];
        byte[] f0 = frame(tx, p, len);
        byte[] dst = new byte[1000];
        assertEquals(1000, open(rx, f0.clone(), len[0], dst));
        assertArrayEquals(p, dst, "seed " + seed);
        byte[] f1 = frame(tx, p, len);
        assertTrue(!Arrays.equals(p, Arrays.copyOfRange(f1, FrameHeader.LENGTH, FrameHeader.LENGTH + 1000)),
                "payload is encrypted");

        // what does not authenticate, or replays an accepted frame, is dropped (the caller counts it): state unchanged
        byte[] forged = f1.clone();
        forged[FrameHeader.LENGTH + 17] ^= 1;
        assertEquals(LinkCipher.DROPPED, open(rx, forged, len[0], dst), "forged payload");
        byte[] forgedHeader = f1.clone();
        forgedHeader[FrameHeader.STAMP_OFFSET] ^= 1;
        assertEquals(LinkCipher.DROPPED, open(rx, forgedHeader, len[0], dst), "forged header");
        assertEquals(LinkCipher.DROPPED, open(rx, f1.clone(), len[0] - 5, dst), "truncated");
        assertEquals(LinkCipher.DROPPED, open(rx, f1.clone(), 20, dst), "cut into the header");
        assertEquals(LinkCipher.DROPPED, open(rx, f0.clone(), len[0], dst), "replay");
        byte[] forgedSequence = f1.clone();
        new FrameHeader().wrap(forgedSequence).write(5, 7, 1000, 0, 1000);
        assertEquals(LinkCipher.DROPPED, open(rx, forgedSequence, len[0], dst), "forged, out of sequence");
        assertEquals(1000, open(rx, f1.clone(), len[0], dst), "the genuine frame after the forgeries");

        // an authentic frame after a gap proves genuine frames were displaced: that fails, naming the link
        byte[] f2 = frame(tx, p, len);
        byte[] f3 = frame(tx, p, len);
        FrameRejectedException r = assertThrows(FrameRejectedException.class, () -> open(rx, f3, len[0], dst));
        assertTrue(r.getMessage().contains("party 0 -> party 1") && r.getMessage().contains("displaced"),
                r.getMessage());
        assertEquals(1000, open(rx, f2, len[0], dst));
    }

    @Test
    void multiSegmentFramesRoundTripAndResistSegmentSwapsAndCuts() {
        LinkCipher[] d = Handshakes.direction01(Handshakes.run(a, b));
        LinkCipher tx = d[0];
        LinkCipher rx = d[1];
        int seg = LinkCipher.SEGMENT;
        int block = seg + FrameHeader.GCM_TAG_BYTES;
        SplittableRandom r = new SplittableRandom(seed);
        for (int n : new int[] {0, 8, seg - 8, seg, seg + 8, 3 * seg, 3 * seg + 24, 1 << 20}) {
            byte[] p = new byte[n];
            r.nextBytes(p);
            int[] len = new int[1];
            byte[] f = frame(tx, p, len);
            assertEquals(FrameHeader.LENGTH + n + LinkCipher.maxOverhead(n), len[0], "sealed length of " + n);
            assertEquals(n, rx.payloadLength(len[0]), "payload length of a sealed " + n + "-byte payload");
            byte[] dst = new byte[n];
            assertEquals(n, open(rx, f, len[0], dst));
            assertArrayEquals(p, dst, n + " bytes, seed " + seed);
        }
        // swap the first two segments (with their tags) of a 3-segment frame: authentication fails
        byte[] p = new byte[3 * seg];
        r.nextBytes(p);
        int[] len = new int[1];
        byte[] f = frame(tx, p, len);
        byte[] swapped = f.clone();
        System.arraycopy(f, FrameHeader.LENGTH, swapped, FrameHeader.LENGTH + block, block);
        System.arraycopy(f, FrameHeader.LENGTH + block, swapped, FrameHeader.LENGTH, block);
        assertEquals(LinkCipher.DROPPED, open(rx, swapped, len[0], new byte[3 * seg]), "segment swap");
        // cut the frame after its second segment: the header (additional data of every segment) says 3 segments
        assertEquals(LinkCipher.DROPPED, open(rx, f.clone(), FrameHeader.LENGTH + 2 * block, new byte[3 * seg]),
                "cut after two segments");
        assertEquals(3 * seg, open(rx, f, len[0], new byte[3 * seg]), "the genuine frame still opens");
    }

    @Test
    void otherDirectionRejected() {
        LinkHandshake[] h = Handshakes.run(a, b);
        LinkCipher tx = Handshakes.direction01(h)[0];
        LinkCipher otherDirection = LinkCipher.keyed(1, 0, h[0].receiveCipher(), h[0].linkHash());
        int[] len = new int[1];
        byte[] f = frame(tx, new byte[64], len);
        assertEquals(LinkCipher.DROPPED, open(otherDirection, f.clone(), len[0], new byte[64]));
    }

    /**
     * Two connections between the same key files get different handshake hashes and traffic keys: the same
     * plaintext frame seals to different bytes, and a frame captured in session 1 is dropped in session 2.
     */
    @Test
    void sessionsBetweenTheSameKeysShareNoKeyAndRejectEachOthersFrames() {
        LinkHandshake[] s1 = Handshakes.run(a, b);
        LinkHandshake[] s2 = Handshakes.run(a, b);
        assertTrue(!Arrays.equals(s1[0].linkHash(), s2[0].linkHash()), "handshake hashes differ");
        assertArrayEquals(s1[0].linkHash(), s1[1].linkHash(), "both ends agree on the handshake hash");
        LinkCipher[] d1 = Handshakes.direction01(s1);
        LinkCipher[] d2 = Handshakes.direction01(s2);
        byte[] p = new byte[3000];
        new SplittableRandom(seed).nextBytes(p);
        int[] len1 = new int[1];
        int[] len2 = new int[1];
        byte[] f1 = frame(d1[0], p, len1);
        byte[] f2 = frame(d2[0], p, len2);
        assertEquals(len1[0], len2[0]);
        assertTrue(!Arrays.equals(Arrays.copyOfRange(f1, FrameHeader.LENGTH, len1[0]),
                Arrays.copyOfRange(f2, FrameHeader.LENGTH, len2[0])), "same plaintext, same sequence number, other key");
        assertEquals(LinkCipher.DROPPED, open(d2[1], f1.clone(), len1[0], new byte[3000]),
                "session-1 frame injected into session 2");
        assertEquals(3000, open(d2[1], f2, len2[0], new byte[3000]), "session 2 goes on after the rejection");
    }

    /**
     * A wrong static key pinned on either side completes nothing; the messages that did not authenticate are counted
     * and the diagnosis names the peer and both possible causes (the key files, or injected datagrams).
     */
    @Test
    void wrongPinnedKeyCompletesNothingAndTheDiagnosisNamesThePeer() {
        KeyPair mallory = PartyKeys.generate();
        LinkHandshake[] h = Handshakes.run(a, mallory.getPublic(), b, a.getPublic());
        assertTrue(!h[0].isComplete() && !h[1].isComplete());
        assertEquals(1, h[1].authFailures());
        assertEquals(1, h[0].rejectsReceived());
        assertTrue(h[1].diagnosis().contains("from party 0") && h[1].diagnosis().contains("did not authenticate")
                && h[1].diagnosis().contains("injecting"), h[1].diagnosis());
        assertTrue(h[0].diagnosis().contains("reject") && h[0].diagnosis().contains("party 1"), h[0].diagnosis());
        LinkHandshake[] h2 = Handshakes.run(a, b.getPublic(), b, mallory.getPublic());
        assertTrue(!h2[1].isComplete() && h2[1].authFailures() == 1, h2[1].diagnosis());
        // mallory holding her own key cannot pose as party 0 to party 1
        LinkHandshake[] h3 = Handshakes.run(mallory, b.getPublic(), b, a.getPublic());
        assertTrue(!h3[1].isComplete(), "impostor accepted");
    }

    /** Nonces: segment i of frame seq is n = seq * 2^16 + i, below the heartbeat range 2^63. */
    @Test
    void nonceLayoutNeverCollides() {
        assertEquals(0x1_0002L, LinkCipher.nonce(1, 2));
        long last = LinkCipher.nonce(LinkCipher.MAX_SEQUENCE - 1, LinkCipher.MAX_SEGMENTS - 1);
        assertTrue(last > 0 && Long.compareUnsigned(last, Heartbeats.NONCE_BASE) < 0, Long.toHexString(last));
        assertTrue(LinkCipher.segments(new AeronContext().conclude().chunkLength()) <= LinkCipher.MAX_SEGMENTS);
    }

    @Test
    void partiesFileRoundTrip() {
        PartiesConfig c = new PartiesConfig(
                new PartiesConfig.Party(0, "10.0.0.1", 40100, a.getPublic()),
                new PartiesConfig.Party(1, "10.0.0.2", 40101, b.getPublic()),
                new PartiesConfig.Party(2, "h3", 40102, PartyKeys.generate().getPublic()));
        PartiesConfig back = PartiesConfig.parse(c.format().lines().toList(), "test");
        assertEquals(c.format(), back.format());
        assertThrows(IllegalArgumentException.class,
                () -> PartiesConfig.parse(java.util.List.of("0 h 1 AAAA"), "bad"));
    }
}
