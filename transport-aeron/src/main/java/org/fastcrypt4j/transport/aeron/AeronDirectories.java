package org.fastcrypt4j.transport.aeron;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.aeron.CommonContext;

/**
 * Where the embedded media driver keeps its files, and cleaning up after drivers that were killed.
 *
 * <p>The driver's directory holds the log buffers of every stream (the ciphertext and its positions) and its
 * control files. It lives in {@code <base>/fastcrypt4j-<user>-<pid>-<random>/aeron}, where {@code <base>} is
 * {@code /dev/shm} when it exists (Aeron's own default on Linux, memory-backed), else the temporary directory. The
 * outer directory is created mode 0700 before the driver starts, so no other user can open or list anything
 * inside it, whatever modes Aeron gives the files it creates.
 *
 * <p>A party killed with SIGKILL cannot delete its directory (tens of MB of memory-backed files). Every start
 * therefore first removes this user's directories whose owning process is gone ({@link #removeStale}), including
 * directories of the earlier naming scheme ({@code aeron-<user>-fastcrypt4j-<uuid>}) whose driver has stopped
 * heartbeating.
 */
final class AeronDirectories {
    private static final System.Logger LOG = System.getLogger(AeronDirectories.class.getName());
    private static final String PREFIX = "fastcrypt4j-";
    /** A legacy driver directory whose driver has not heartbeated for this long is stale. */
    private static final long LEGACY_DRIVER_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);

    private AeronDirectories() {
    }

    /** The base directory: {@code /dev/shm} where it exists, else {@code java.io.tmpdir}. */
    static Path base() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static String user() {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * Creates a fresh private directory (mode 0700) for this process's driver in {@code base} and returns the path
     * the driver should use inside it.
     */
    static Path createPrivate(Path base) {
        Path outer = base.resolve(PREFIX + user() + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        try {
            try {
                Files.createDirectory(outer, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(outer);
            }
            if (Files.getFileStore(outer).supportsFileAttributeView("posix")) {
                // the umask may have narrowed the mode on creation; make it exactly 0700
                Files.setPosixFilePermissions(outer, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the media driver's directory " + outer, e);
        }
        return outer.resolve("aeron");
    }

    /** Deletes the private directory made by {@link #createPrivate} for {@code driverDir}. */
    static void deletePrivate(Path driverDir) {
        deleteTree(driverDir.getParent());
    }

    /**
     * Removes this user's driver directories in {@code base} whose process is no longer running (new scheme: the
     * pid in the name) or whose driver stopped heartbeating (legacy scheme). Returns how many were removed. Never
     * touches another user's directories or a live driver's.
     */
    static int removeStale(Path base) {
        int removed = 0;
        String mine = PREFIX + user() + "-";
        String legacy = new File(CommonContext.getAeronDirectoryName()).getName() + "-fastcrypt4j-";
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                boolean stale = false;
                if (name.startsWith(mine) && ownedByMe(d)) {
                    stale = !alive(pidIn(name.substring(mine.length())));
                } else if (name.startsWith(legacy) && ownedByMe(d)) {
                    stale = !CommonContext.isDriverActive(d.toFile(), LEGACY_DRIVER_TIMEOUT_MS, msg -> { });
                }
                if (stale && deleteTree(d)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not scan " + base + " for stale driver directories: " + e);
        }
        if (removed > 0) {
            LOG.log(System.Logger.Level.INFO, "removed " + removed + " media driver director"
                    + (removed == 1 ? "y" : "ies") + " left by killed FastCrypt4J processes in " + base);
        }
        return removed;
    }

    private static long pidIn(String rest) {
        int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean alive(long pid) {
        return pid == ProcessHandle.current().pid() || (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false));
    }

    private static boolean ownedByMe(Path d) {
        try {
            return Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                    && Files.getOwner(d, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
