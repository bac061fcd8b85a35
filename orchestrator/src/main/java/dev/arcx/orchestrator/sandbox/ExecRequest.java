package dev.arcx.orchestrator.sandbox;

import java.util.Map;

/**
 * Body of {@code POST /api/exec} and of a session run.
 *
 * @param files extra files by relative path, written next to the code
 * @param timeoutMs may shorten the plan's wall-clock limit, never lengthen it
 */
public record ExecRequest(String language, String code, Map<String, String> files, String stdin, Long timeoutMs) {
}
