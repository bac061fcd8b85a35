package dev.arcx.orchestrator.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The IDE's auth override in the workspace's home, {@code ~/.config/arcx/code-server-auth}: what the code-server
 * add-on's start script reads at every (re)start to choose {@code --auth none|password} and, with password, the
 * argon2id hash it hands code-server as {@code HASHED_PASSWORD}. Never the password itself. Lines of
 * {@code KEY=value}, parsed (not sourced) by the script; owned by the workspace user, mode 600.
 */
final class IdeAuthFile {
    /** Relative to the home; the archive carries the parent directories so they belong to the user, not root. */
    static final String PATH = ".config/arcx/code-server-auth";
    static final int WORKSPACE_UID = 1000;

    private IdeAuthFile() {
    }

    /** @param argon2 the PHC string of the workspace's password; null for an unprotected workspace (auth none) */
    static String content(String argon2) {
        String header = "# Written by the arcx orchestrator at each password change and start; read by code-server.sh.\n";
        return argon2 == null ? header + "CODE_SERVER_AUTH=none\n"
                : header + "CODE_SERVER_AUTH=password\nHASHED_PASSWORD=" + argon2 + "\n";
    }

    /** The tar stream to extract at the home. */
    static byte[] tar(String argon2) {
        byte[] content = content(argon2).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            directory(tar, ".config/", 0755);
            directory(tar, ".config/arcx/", 0700);
            TarArchiveEntry file = new TarArchiveEntry(PATH);
            file.setIds(WORKSPACE_UID, WORKSPACE_UID);
            file.setMode(0600);
            file.setSize(content.length);
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setIds(WORKSPACE_UID, WORKSPACE_UID);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
