package dev.arcx.orchestrator.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages the runtime image runs. Every run starts the language's {@code launcher} from the image, which reads
 * the files (the code as {@code fileName}) from its stdin, writes them into /sandbox and runs the code as
 * {@code python3 main.py}, {@code node main.js} or {@code bash main.sh} would; a warm container starts it ahead of
 * the run.
 */
public enum Language {
    PYTHON("main.py", List.of("python3", "/opt/arcx/primed.py")),
    NODE("main.js", List.of("node", "/opt/arcx/primed.js")),
    // bash starts in a millisecond: the python unpacker waits in front of it and hands over.
    BASH("main.sh", List.of("python3", "/opt/arcx/unpack.py", "bash", "main.sh"));

    private final String fileName;
    private final List<String> launcher;

    Language(String fileName, List<String> launcher) {
        this.fileName = fileName;
        this.launcher = launcher;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String fileName() {
        return fileName;
    }

    /** The process a run starts; the code never appears in it. */
    List<String> launcher() {
        return launcher;
    }

    public static Optional<Language> byId(String id) {
        return Arrays.stream(values()).filter(l -> l.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Language::id).toList();
    }
}
