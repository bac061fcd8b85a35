package dev.arcx.orchestrator.user;

import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Users and their personal API tokens. */
@ApplicationScoped
public class UserService {
    /** GitHub's login rule: letters, digits and single inner hyphens, at most 39 characters. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");

    private final UserRepository users;
    private final AuditLog audit;
    private final ApiTokenService tokens;

    UserService(UserRepository users, AuditLog audit, ApiTokenService tokens) {
        this.users = users;
        this.audit = audit;
        this.tokens = tokens;
    }

    /** Whether {@code login} follows GitHub's rule for logins. */
    public static boolean isLogin(String login) {
        return login != null && LOGIN.matcher(login).matches();
    }

    public Uni<User> create(Caller caller, CreateUserRequest request) {
        if (request == null || !isLogin(request.login())) {
            return Uni.createFrom().failure(ApiException.badRequest("login must be a GitHub login: 1-39 letters, "
                    + "digits or single inner hyphens"));
        }
        String plan = request.plan() == null ? "free" : request.plan();
        return users.planExists(plan).flatMap(exists -> {
            if (!exists) {
                throw ApiException.badRequest("unknown plan '" + plan + "'; plans are free, pro, team");
            }
            return users.loginTaken(request.login());
        }).flatMap(taken -> {
            if (taken) {
                throw ApiException.conflict("a user with login '" + request.login() + "' already exists");
            }
            return audit.inTransaction(tx -> users.insert(tx, UUID.randomUUID(), request.login(), plan)
                    .call(user -> audit.record(tx, caller, "user.create", "user", user.id(),
                            Map.of("login", user.login(), "plan", user.plan()))));
        });
    }

    public Uni<User> find(UUID id) {
        return users.findById(id);
    }

    /** The admin issues a token for a user: named {@code token}, without expiry; see {@link ApiTokenService}. */
    public Uni<IssuedToken> issueToken(Caller caller, UUID userId) {
        return users.findById(userId).flatMap(user -> {
            if (user == null) {
                throw ApiException.notFound("no user " + userId);
            }
            return tokens.issue(caller, userId, ApiTokenService.DEFAULT_NAME, null);
        });
    }
}
