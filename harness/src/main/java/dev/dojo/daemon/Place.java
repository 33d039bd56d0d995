package dev.dojo.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where the daemon of one checkout lives: a folder only its user can open, holding the socket the
 * daemon listens on, the lock the one daemon holds while it lives, and its log. The folder is
 * {@code .dojo/daemon/} in the checkout, unless the socket's path would be longer than a Unix
 * socket's address allows (about 100 bytes); then it is a folder named after the checkout in the
 * temporary folder.
 *
 * @param folder the daemon's folder, owner-only
 * @param socket the Unix domain socket the daemon listens on
 * @param lock   the file the living daemon holds a lock on
 * @param log    what the daemon writes: its start, its stop, and anything that went wrong
 */
public record Place(Path folder, Path socket, Path lock, Path log) {
    /** Unix sockets take a path of 104 (macOS) to 108 (Linux) bytes, the terminating zero included. */
    private static final int LONGEST_SOCKET_PATH = 100;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** The daemon's place for the checkout at {@code root}. */
    public static Place of(Path root) {
        Path folder = root.toAbsolutePath().normalize().resolve(".dojo").resolve("daemon");
        if (folder.resolve("socket").toString().getBytes(StandardCharsets.UTF_8).length > LONGEST_SOCKET_PATH) {
            folder = Path.of(System.getProperty("java.io.tmpdir"), "dojo-" + System.getProperty("user.name"),
                    digest(root.toAbsolutePath().normalize().toString()));
        }
        return new Place(folder, folder.resolve("socket"), folder.resolve("lock"), folder.resolve("daemon.log"));
    }

    /**
     * Makes the folder if it is not there, readable and writable by its owner only, and checks
     * that it is this user's and nobody else's: a folder another user owns, or a link, is refused,
     * since whoever can open the socket runs commands as this user.
     */
    public Place prepare() throws IOException {
        Files.createDirectories(folder.getParent());
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // there from an earlier daemon: checked below
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(folder + " is not a folder");
        }
        // who "I" am, without a user database to look the name up in: the owner of a file made now
        Path probe = Files.createTempFile(folder, "owner", "");
        UserPrincipal me;
        try {
            me = Files.getOwner(probe);
        } finally {
            Files.delete(probe);
        }
        if (!Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).equals(me)) {
            throw new IOException(folder + " belongs to another user");
        }
        Files.setPosixFilePermissions(folder, OWNER_ONLY);
        return this;
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
