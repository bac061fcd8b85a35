package dev.arcx.orchestrator.sandbox;

import dev.arcx.common.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Turns a request's code and files into the tar stream the run's launcher reads on stdin and unpacks into /sandbox
 * (images/sandbox-runtime/primed/unpack.py, which checks names by the same rules). No name or content ever reaches a
 * shell: names are validated as relative paths and travel as tar headers.
 */
final class SandboxFiles {
    static final int SANDBOX_UID = 1000;
    private static final int MAX_FILES = 100;
    private static final int MAX_NAME = 255;

    private SandboxFiles() {
    }

    /** Validates names and total size; answers the files to write, code first, in a stable order. */
    static Map<String, byte[]> collect(Language language, String code, Map<String, String> files, int maxBytes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        if (code != null) {
            out.put(language.fileName(), code.getBytes(StandardCharsets.UTF_8));
            total += out.get(language.fileName()).length;
        }
        if (files != null) {
            if (files.size() > MAX_FILES) {
                throw ApiException.badRequest("at most " + MAX_FILES + " files per request");
            }
            for (var file : new java.util.TreeMap<>(files).entrySet()) {
                String name = file.getKey();
                checkName(name);
                if (out.containsKey(name)) {
                    throw ApiException.badRequest("file '" + name + "' would overwrite the code file");
                }
                byte[] content = file.getValue() == null ? new byte[0] : file.getValue().getBytes(StandardCharsets.UTF_8);
                out.put(name, content);
                total += content.length;
            }
        }
        if (total > maxBytes) {
            throw ApiException.badRequest("code and files are " + total + " bytes; the limit is " + maxBytes);
        }
        return out;
    }

    /**
     * A relative path of plain segments: no absolute path, no '..' or '.', no empty segment, no control character.
     * Anything else in a name (spaces, quotes, '$(...)') is kept literally: it is a tar header, not a command.
     */
    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiException.badRequest("file names must be 1-" + MAX_NAME + " characters");
        }
        if (name.startsWith("/") || name.contains("\\")) {
            throw ApiException.badRequest("file name '" + name + "' must be a relative path with '/' separators");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ApiException.badRequest("file name '" + name + "' may not contain empty, '.' or '..' segments");
            }
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("file names may not contain control characters");
        }
    }

    /** The tar stream: parent directories first, every entry owned by the sandbox user. */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TreeSet<String> dirs = new TreeSet<>();
            for (String name : files.keySet()) {
                for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                    dirs.add(name.substring(0, slash) + "/");
                }
            }
            for (String dir : dirs) {
                TarArchiveEntry entry = new TarArchiveEntry(dir);
                own(entry, 0755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (var file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                own(entry, 0644);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void own(TarArchiveEntry entry, int mode) {
        entry.setIds(SANDBOX_UID, SANDBOX_UID);
        entry.setMode(mode);
    }
}
