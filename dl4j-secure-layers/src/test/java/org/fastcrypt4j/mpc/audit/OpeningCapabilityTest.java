package org.fastcrypt4j.mpc.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import org.fastcrypt4j.mpc.falcon.Wrap3;
import org.fastcrypt4j.mpc.opening.OpeningLog;
import org.fastcrypt4j.mpc.opening.Openings;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.junit.jupiter.api.Test;

/**
 * The opening capability from outside the protocol packages: this class stands for any code that is not a
 * protocol (the nn layers, the examples, a user's program) and must not obtain an {@link Openings}, whatever
 * lookup it passes.
 */
class OpeningCapabilityTest {

    @Test
    void aClassOutsideTheProtocolPackagesIsRefusedByName() {
        IllegalCallerException e = assertThrows(IllegalCallerException.class,
                () -> Openings.forProtocol(MethodHandles.lookup()));
        assertTrue(e.getMessage().contains(OpeningCapabilityTest.class.getName()), e.getMessage());
    }

    @Test
    void aLookupOfAProtocolClassWithoutItsOwnPrivilegeIsRefused() throws IllegalAccessException {
        MethodHandles.Lookup mine = MethodHandles.lookup();
        List<MethodHandles.Lookup> forged = List.of(
                mine.in(Sharing.class),
                mine.in(Wrap3.class),
                MethodHandles.publicLookup().in(Sharing.class),
                MethodHandles.privateLookupIn(Sharing.class, mine).dropLookupMode(MethodHandles.Lookup.PRIVATE),
                MethodHandles.privateLookupIn(Wrap3.class, mine).in(Sharing.class),
                // full privilege on the class path, but not ORIGINAL: not the protocol class's own lookup()
                MethodHandles.privateLookupIn(Sharing.class, mine),
                MethodHandles.privateLookupIn(Wrap3.class, mine));
        for (MethodHandles.Lookup lookup : forged) {
            IllegalCallerException e = assertThrows(IllegalCallerException.class, () -> Openings.forProtocol(lookup),
                    "lookup " + lookup + " (modes " + Integer.toBinaryString(lookup.lookupModes()) + ")");
            assertTrue(e.getMessage().contains(lookup.lookupClass().getName()), e.getMessage());
        }
        assertThrows(IllegalCallerException.class, () -> Openings.forProtocol(null));
    }

    @Test
    void theOpeningPathHasNoStaticDoorAndTheLogNoPublicWriter() throws NoSuchMethodException {
        assertEquals(0, Openings.class.getConstructors().length, "public constructors of Openings");
        for (Method m : Openings.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
                assertEquals("forProtocol", m.getName(), "public static method of Openings: " + m);
            }
        }
        Method record = OpeningLog.class.getDeclaredMethod("record", String.class, long.class);
        assertFalse(Modifier.isPublic(record.getModifiers()) || Modifier.isProtected(record.getModifiers()),
                "OpeningLog.record must stay package-private: " + record);
        assertTrue(Arrays.stream(OpeningLog.class.getMethods()).noneMatch(m -> m.getName().equals("record")),
                "no public record method on OpeningLog");
    }
}
