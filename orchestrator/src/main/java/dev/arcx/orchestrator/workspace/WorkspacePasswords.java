package dev.arcx.orchestrator.workspace;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Workspace passwords: the 8-50 character rule, hashing, and the checks stop, delete and password changes
 * make, rate-limited per workspace by {@link PasswordAttempts}. Wrong passwords are audited as
 * {@code workspace.password.failed} with the operation, never with what was typed.
 */
@ApplicationScoped
public class WorkspacePasswords {
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 50;
    /** bcrypt reads at most 72 bytes; a longer password would be checked only by its start. */
    private static final int MAX_BCRYPT_BYTES = 72;
    static final String HEADER = "X-Arcx-Workspace-Password";

    private final WorkspaceRepository workspaces;
    private final PasswordAttempts attempts;
    private final Blocking blocking;
    private final AuditLog audit;

    WorkspacePasswords(WorkspaceRepository workspaces, PasswordAttempts attempts, Blocking blocking, AuditLog audit) {
        this.workspaces = workspaces;
        this.attempts = attempts;
        this.blocking = blocking;
        this.audit = audit;
    }

    /** Why {@code password} cannot be a workspace password (named {@code field} in the message), if it cannot. */
    static Optional<String> problem(String field, String password) {
        if (password == null) {
            return Optional.of(field + " is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return Optional.of(field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BCRYPT_BYTES) {
            return Optional.of(field + " may take at most " + MAX_BCRYPT_BYTES + " bytes in UTF-8");
        }
        return Optional.empty();
    }

    /** The password's hashes, computed on a worker thread; the caller validated it with {@link #problem}. */
    Uni<PasswordHashes> hash(String password) {
        return blocking.call(() -> PasswordHashing.hash(password));
    }

    /**
     * Succeeds when the workspace is unprotected or {@code given} is its password; else 401 (missing or wrong) or
     * 429 once the workspace's attempts are used up.
     *
     * @param operation what the password is for, as the audit entry of a wrong one names it (stop, delete, ...)
     * @param field how the caller sends the password, for the message when it is missing
     */
    Uni<Void> require(Caller caller, Workspace w, String given, String operation, String field) {
        if (!w.passwordProtected()) {
            return Uni.createFrom().voidItem();
        }
        if (given == null || given.isEmpty()) {
            return Uni.createFrom().failure(ApiException.unauthorized("Workspace password required",
                    "the workspace is password-protected: " + field));
        }
        long retryAfter = attempts.admit(w.id(), System.currentTimeMillis());
        if (retryAfter > 0) {
            return Uni.createFrom().failure(ApiException.tooManyRequests("at most " + attempts.limit()
                    + " password attempts per workspace in a while; try again in " + retryAfter + " s", retryAfter));
        }
        return workspaces.passwordHashes(w.id())
                .flatMap(hashes -> hashes == null ? Uni.createFrom().item(true)
                        : blocking.call(() -> PasswordHashing.matches(given, hashes.bcrypt())))
                .flatMap(right -> {
                    if (right) {
                        attempts.succeeded(w.id());
                        return Uni.createFrom().voidItem();
                    }
                    return audit.record(caller, WorkspaceService.AUDIT_TARGET + ".password.failed",
                            WorkspaceService.AUDIT_TARGET, w.id(), Map.of("name", w.name(), "operation", operation))
                            .chain(() -> Uni.createFrom().failure(ApiException.unauthorized("Wrong workspace password",
                                    "the workspace password is not right")));
                });
    }

    /** The workspace is gone: its attempt count goes too. */
    void forget(Workspace w) {
        attempts.forget(w.id());
    }
}
