package dev.dojo.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** What went wrong with a file or folder, in the few words a one-line message needs. */
final class FileTrouble {
    private FileTrouble() {}

    /**
     * Why nothing could be written in {@code folder}: "it is a file, not a folder", "PATH is a file,
     * not a folder" (for a parent), "read-only", else the reason {@code e} gives.
     */
    static String unwritable(Path folder, IOException e) {
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    return p.equals(folder) ? "it is a file, not a folder" : p + " is a file, not a folder";
                }
                break;
            }
        }
        if (e instanceof AccessDeniedException || Files.isDirectory(folder) && !Files.isWritable(folder)) {
            return "read-only";
        }
        return reason(e);
    }

    /** The reason of {@code e} without its class name: "permission denied", "no such file or folder", … */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * A file-system failure in one line: what could not be done (when the code that failed said so),
     * to which file, and why ({@code cannot read /x/katas/k/README.md: permission denied}).
     */
    static String describe(IOException e, String context) {
        boolean ownWords = context != null && !context.equals(e.toString()) && !context.equals(e.getMessage());
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            String file = fs.getFile();
            return !ownWords ? file + ": " + reason(e)
                    : context.contains(file) ? context + ": " + reason(e) : context + ": " + file + ": " + reason(e);
        }
        return ownWords ? context + ": " + reason(e) : reason(e);
    }
}
