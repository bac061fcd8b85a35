package dev.arcx.orchestrator.login;

import dev.arcx.common.access.AccessNarrowed;
import dev.arcx.common.events.SessionRevocation;
import dev.arcx.common.events.Subjects;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.tokens.SessionClaims;
import dev.arcx.common.tokens.SessionTokens;
import dev.arcx.orchestrator.audit.AuditLog;
import dev.arcx.orchestrator.audit.Caller;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.events.EventPublisher;
import dev.arcx.orchestrator.signup.SignupService;
import dev.arcx.orchestrator.user.GitHubProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Signing in and out. A sign-in finds the user (by GitHub id, so a login renamed on GitHub follows; else by login,
 * which links a user the admin made or the development sign-in made to their GitHub account), or admits someone new
 * by the signup mode, then opens a session: a row in {@code sessions} and a token signed with the shared secret.
 * The session the browser held before is ended, so a sign-in always rotates the cookie.
 */
@ApplicationScoped
public class LoginService {
    /** What a sign-in records as the actor before there is a user. */
    static final String ANONYMOUS = "anonymous";
    private static final String FREE_PLAN = "free";

    private final AccountRepository accounts;
    private final SignupService signups;
    private final AuditLog audit;
    private final SessionTokens tokens;
    private final Duration ttl;
    private final List<String> adminLogins;
    private final EventPublisher events;
    private final LoginRateLimiter limiter;
    private final Event<AccessNarrowed> narrowed;

    LoginService(AccountRepository accounts, SignupService signups, AuditLog audit, OrchestratorConfig config,
            EventPublisher events, LoginRateLimiter limiter, Event<AccessNarrowed> narrowed) {
        this.limiter = limiter;
        this.narrowed = narrowed;
        this.accounts = accounts;
        this.signups = signups;
        this.audit = audit;
        this.events = events;
        this.tokens = new SessionTokens(config.sessionSecret());
        this.ttl = config.auth().sessionTtl();
        if (ttl.compareTo(Subjects.REVOCATION_RETENTION) > 0) {
            // Other services learn of revocations from a stream kept this long: a longer session would outlive them.
            throw new IllegalStateException("arcx.auth.session-ttl may be at most " + Subjects.REVOCATION_RETENTION
                    .toDays() + " days, not " + ttl);
        }
        this.adminLogins = config.adminLogins().orElse(List.of()).stream().map(String::strip)
                .filter(login -> !login.isEmpty()).toList();
    }

    /**
     * @param via {@code github} or {@code dev}
     * @param inviteCode the code the sign-in started with, if any; only someone new needs one
     * @param previousSession the session token the browser sent along, ended once the new session exists
     */
    public Uni<SignIn> signIn(GitHubProfile profile, String via, String inviteCode, String previousSession,
            String sourceIp, String userAgent) {
        long retryAfter = limiter.accountRetryAfter(profile.login(), System.currentTimeMillis());
        if (retryAfter > 0) {
            return Uni.createFrom().failure(ApiException.tooManyRequests("more than "
                    + limiter.accountFailuresPerMinute() + " refused sign-ins of this account in a minute; try again "
                    + "in " + retryAfter + " s", retryAfter));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(ttl);
        UUID sessionId = UUID.randomUUID();
        return accounts.pool().withTransaction(tx -> existing(tx, profile)
                .flatMap(found -> found != null
                        ? refreshed(tx, found, profile).map(account -> new Found(account, false, null))
                        : admitted(tx, profile, inviteCode))
                .flatMap(found -> {
                    if (found.account() == null) {
                        return Uni.createFrom().item(SignIn.refused(found.refusal()));
                    }
                    Account account = found.account();
                    if (account.suspendedAt() != null) {
                        return Uni.createFrom().item(SignIn.suspended(account));
                    }
                    return promoted(tx, account, via).chain(() -> accounts.insertSession(tx, sessionId, account.id(),
                            via, sourceIp, truncate(userAgent), expiresAt).replaceWith(new SignIn(account,
                                    tokens.sign(new SessionClaims(sessionId, account.id(), account.login(), now,
                                            expiresAt)), expiresAt, found.newUser(), null)));
                })
                .call(signIn -> record(tx, signIn, profile, via, sessionId, sourceIp)))
                .invoke(signIn -> {
                    if (!signIn.signedIn()) {
                        limiter.accountFailed(profile.login(), System.currentTimeMillis());
                    }
                })
                .call(signIn -> signIn.signedIn() ? endPrevious(previousSession) : Uni.createFrom().voidItem());
    }

    /** Ends the session of {@code sessionToken} (or, with {@code everywhere}, every session of its user). */
    public Uni<Void> signOut(String sessionToken, boolean everywhere, String sourceIp) {
        Optional<SessionClaims> claims = tokens.verify(sessionToken, Instant.now());
        if (claims.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        SessionClaims session = claims.get();
        return audit.inTransaction(tx -> (everywhere
                ? accounts.revokeSessions(tx, session.userId()).map(count -> count > 0)
                : accounts.revokeSession(tx, session.sessionId()))
                .call(any -> !any ? Uni.createFrom().voidItem()
                        : audit.record(tx, Caller.user(session.userId(), sourceIp), "auth.logout", "user",
                                session.userId(), Map.of("sessionId", session.sessionId().toString(), "everywhere",
                                        everywhere))))
                .invoke(any -> {
                    if (any) {
                        events.publish(everywhere ? SessionRevocation.ofUser(session.userId(), "logout")
                                : SessionRevocation.ofSession(session.userId(), session.sessionId(), "logout"));
                        narrowed.fire(AccessNarrowed.forUser(session.userId()));
                    }
                }).replaceWithVoid();
    }

    private Uni<Account> existing(SqlClient tx, GitHubProfile profile) {
        if (profile.githubId() == null) {
            return accounts.lockByLogin(tx, profile.login());
        }
        return accounts.lockByGitHubId(tx, profile.githubId()).flatMap(linked -> {
            if (linked != null) {
                return Uni.createFrom().item(linked);
            }
            return accounts.lockByLogin(tx, profile.login()).map(sameLogin -> {
                if (sameLogin != null && sameLogin.githubId() != null) {
                    throw loginHeld(profile.login());
                }
                return sameLogin;
            });
        });
    }

    /** GitHub users get GitHub's current profile; a development sign-in leaves the row as it is. */
    private Uni<Account> refreshed(SqlClient tx, Account account, GitHubProfile profile) {
        if (profile.githubId() == null) {
            return Uni.createFrom().item(account);
        }
        Uni<Void> loginFree = account.login().equalsIgnoreCase(profile.login()) ? Uni.createFrom().voidItem()
                : accounts.lockByLogin(tx, profile.login()).map(holder -> {
                    if (holder != null && !holder.id().equals(account.id())) {
                        throw loginHeld(profile.login());
                    }
                    return null;
                });
        return loginFree.flatMap(free -> accounts.updateProfile(tx, account.id(), profile));
    }

    private Uni<Found> admitted(SqlClient tx, GitHubProfile profile, String inviteCode) {
        return signups.admit(tx, profile, inviteCode).flatMap(admission -> !admission.admitted()
                ? Uni.createFrom().item(new Found(null, true, admission.refusal()))
                : accounts.insert(tx, UUID.randomUUID(), profile, FREE_PLAN, admission.inviteId())
                        .map(account -> new Found(account, true, null)));
    }

    /**
     * A GitHub sign-in of a login in {@code arcx.admin-logins} makes the user an administrator (audited once, as
     * {@code admin.user.admin} by the system). Not the development sign-in, where anyone may claim any login.
     */
    private Uni<Void> promoted(SqlClient tx, Account account, String via) {
        if (!"github".equals(via) || adminLogins.stream().noneMatch(login -> login.equalsIgnoreCase(account.login()))) {
            return Uni.createFrom().voidItem();
        }
        return accounts.makeAdmin(tx, account.id()).flatMap(changed -> !changed ? Uni.createFrom().voidItem()
                : audit.record(tx, Caller.SYSTEM, "admin.user.admin", "user", account.id(),
                        Map.of("login", account.login(), "admin", true, "by", "arcx.admin-logins")));
    }

    private Uni<Void> endPrevious(String previousSession) {
        return tokens.verify(previousSession, Instant.now())
                .map(claims -> accounts.revokeSession(accounts.pool(), claims.sessionId()).invoke(() -> {
                    events.publish(SessionRevocation.ofSession(claims.userId(), claims.sessionId(), "signed in again"));
                    narrowed.fire(AccessNarrowed.forUser(claims.userId()));
                }).replaceWithVoid())
                .orElse(Uni.createFrom().voidItem());
    }

    /** In the sign-in's transaction: a sign-in, a sign-up or a refusal stands only with its entry. */
    private Uni<Void> record(SqlClient tx, SignIn signIn, GitHubProfile profile, String via, UUID sessionId,
            String sourceIp) {
        if (!signIn.signedIn()) {
            Map<String, Object> details = new HashMap<>();
            details.put("login", profile.login());
            details.put("via", via);
            details.put("reason", signIn.refusal());
            if (profile.githubId() != null) {
                details.put("githubId", profile.githubId());
            }
            return audit.record(tx, new Caller(ANONYMOUS, sourceIp), "auth.refused", "user", profile.login(), details);
        }
        Account account = signIn.account();
        Caller caller = Caller.user(account.id(), sourceIp);
        Uni<Void> signup = !signIn.newUser() ? Uni.createFrom().voidItem()
                : audit.record(tx, caller, "user.signup", "user", account.id(), Map.of("login", account.login(),
                        "via", via, "mode", signups.mode().name().toLowerCase(java.util.Locale.ROOT)));
        return signup.chain(() -> audit.record(tx, caller, "auth.login", "user", account.id(),
                Map.of("via", via, "sessionId", sessionId.toString(), "login", account.login())));
    }

    private static ApiException loginHeld(String login) {
        return ApiException.conflict("the login '" + login + "' belongs to another arcx account (a GitHub account "
                + "that was renamed since it last signed in); ask an administrator");
    }

    private static String truncate(String userAgent) {
        return userAgent == null || userAgent.length() <= 512 ? userAgent : userAgent.substring(0, 512);
    }

    /** @param refusal why someone new was not admitted; account is null then */
    private record Found(Account account, boolean newUser, String refusal) {
    }
}
