package dev.arcx.orchestrator.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The languages the runtime image runs; the code is written to {@code fileName} and run by {@code command}. */
public enum Language {
    PYTHON("main.py", "python3"),
    NODE("main.js", "node"),
    BASH("main.sh", "bash");

    private final String fileName;
    private final String interpreter;

    Language(String fileName, String interpreter) {
        this.fileName = fileName;
        this.interpreter = interpreter;
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

    public static Optional<Language> byId(String id) {
        return Arrays.stream(values()).filter(l -> l.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Language::id).toList();
    }
}
