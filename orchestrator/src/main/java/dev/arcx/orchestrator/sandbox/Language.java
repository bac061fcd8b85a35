package dev.arcx.orchestrator.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages the runtime image runs; the code is written to {@code fileName} and run by {@code command}, or, in
 * a warm container, by the {@code launcher} the image carries (started before the code exists, released later).
 */
public enum Language {
    PYTHON("main.py", "python3", "/opt/arcx/primed.py"),
    NODE("main.js", "node", "/opt/arcx/primed.js"),
    // bash starts in a millisecond: a fixed gate in front of it is enough.
    BASH("main.sh", "bash", null);

    private final String fileName;
    private final String interpreter;
    private final String launcher;

    Language(String fileName, String interpreter, String launcher) {
        this.fileName = fileName;
        this.interpreter = interpreter;
        this.launcher = launcher;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String fileName() {
        return fileName;
    }

    public List<String> command() {
        return List.of(interpreter, fileName);
    }

    /**
     * The process a warm container starts ahead of a run: it waits for one line on stdin, then runs the code. The
     * code never appears in it.
     */
    List<String> primedCommand() {
        if (launcher != null) {
            return List.of(interpreter, launcher);
        }
        List<String> gated = new ArrayList<>(List.of("sh", "-c", "read -r go && exec \"$@\"", "gate"));
        gated.addAll(command());
        return gated;
    }

    public static Optional<Language> byId(String id) {
        return Arrays.stream(values()).filter(l -> l.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Language::id).toList();
    }
}
