package org.fastcrypt4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

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
        LinkCipher tx = LinkCipher.protectedLink(0, 1, a.getPrivate(), b.getPublic());
        LinkCipher rx = LinkCipher.protectedLink(0, 1, b.getPrivate(), a.getPublic());
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

        byte[] forged = f1.clone();
        forged[FrameHeader.LENGTH + 17] ^= 1;
        FrameRejectedException e = assertThrows(FrameRejectedException.class, () -> open(rx, forged, len[0], dst));
        assertTrue(e.getMessage().contains("party 0 -> party 1"), e.getMessage());

        byte[] forgedHeader = f1.clone();
        forgedHeader[FrameHeader.STAMP_OFFSET] ^= 1;
        assertThrows(FrameRejectedException.class, () -> open(rx, forgedHeader, len[0], dst));

        assertThrows(FrameRejectedException.class, () -> open(rx, f1.clone(), len[0] - 5, dst));
        assertThrows(FrameRejectedException.class, () -> open(rx, f1.clone(), 20, dst));

        assertThrows(FrameRejectedException.class, () -> open(rx, f0.clone(), len[0], dst), "replay");
        assertEquals(1000, open(rx, f1.clone(), len[0], dst));

        byte[] f2 = frame(tx, p, len);
        byte[] f3 = frame(tx, p, len);
        FrameRejectedException r = assertThrows(FrameRejectedException.class, () -> open(rx, f3, len[0], dst));
        assertTrue(r.getMessage().contains("sequence"), r.getMessage());
        assertEquals(1000, open(rx, f2, len[0], dst));
    }

    @Test
    void multiSegmentFramesRoundTripAndResistSegmentSwapsAndCuts() {
        LinkCipher tx = LinkCipher.protectedLink(0, 1, a.getPrivate(), b.getPublic());
        LinkCipher rx = LinkCipher.protectedLink(0, 1, b.getPrivate(), a.getPublic());
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
        assertThrows(FrameRejectedException.class, () -> open(rx, swapped, len[0], new byte[3 * seg]), "segment swap");
        // cut the frame after its second segment: the header's chunk length no longer matches
        FrameRejectedException cut = assertThrows(FrameRejectedException.class,
                () -> open(rx, f.clone(), FrameHeader.LENGTH + 2 * block, new byte[3 * seg]));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
    }

    @Test
    void wrongKeyOrDirectionRejected() {
        LinkCipher tx = LinkCipher.protectedLink(0, 1, a.getPrivate(), b.getPublic());
        LinkCipher otherDirection = LinkCipher.protectedLink(1, 0, b.getPrivate(), a.getPublic());
        KeyPair mallory = PartyKeys.generate();
        LinkCipher wrongKey = LinkCipher.protectedLink(0, 1, mallory.getPrivate(), a.getPublic());
        int[] len = new int[1];
        byte[] f = frame(tx, new byte[64], len);
        assertThrows(FrameRejectedException.class, () -> open(otherDirection, f.clone(), len[0], new byte[64]));
        assertThrows(FrameRejectedException.class, () -> open(wrongKey, f.clone(), len[0], new byte[64]));
    }

    @Test
    void partiesFileRoundTrip() {
        PartiesConfig c = new PartiesConfig(
                new PartiesConfig.Party(0, "10.0.0.1", 40100, a.getPublic()),
                new PartiesConfig.Party(1, "10.0.0.2", 40101, b.getPublic()),
                new PartiesConfig.Party(2, "h3", 40102, a.getPublic()));
        PartiesConfig back = PartiesConfig.parse(c.format().lines().toList(), "test");
        assertEquals(c.format(), back.format());
        assertThrows(IllegalArgumentException.class,
                () -> PartiesConfig.parse(java.util.List.of("0 h 1 AAAA"), "bad"));
    }
}
