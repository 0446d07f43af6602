package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media driver's directory is private (0700), and the directories of killed processes (whose pid is gone) are
 * removed on the next start, while a live process's directory is kept.
 */
class AeronDirectoriesTest {

    @Test
    void privateDirectoryIsOwnerOnly(@TempDir Path base) throws Exception {
        Path driverDir = AeronDirectories.createPrivate(base);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(driverDir.getParent())));
        assertTrue(driverDir.getParent().getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-"));
        AeronDirectories.deletePrivate(driverDir);
        assertFalse(Files.exists(driverDir.getParent()));
    }

    @Test
    void directoriesOfKilledProcessesAreRemovedLiveOnesKept(@TempDir Path base) throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        long livePid = p.pid();
        Process q = new ProcessBuilder("true").start();
        q.waitFor();
        long deadPid = q.pid();
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path dead = Files.createDirectories(base.resolve("fastcrypt4j-" + user + "-" + deadPid + "-0badf00d/aeron"));
        Files.write(dead.resolve("cnc.dat"), new byte[4096]);
        Path live = Files.createDirectories(base.resolve("fastcrypt4j-" + user + "-" + livePid + "-0badf00d/aeron"));
        Path other = Files.createDirectories(base.resolve("something-else"));
        try {
            assertEquals(1, AeronDirectories.removeStale(base));
            assertFalse(Files.exists(dead.getParent()), "directory of a killed process kept");
            assertTrue(Files.exists(live), "directory of a live process removed");
            assertTrue(Files.exists(other));
        } finally {
            p.destroyForcibly();
        }
    }
}
