package dev.arcx.orchestrator.login;

import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.http.ProblemMapper;
import dev.arcx.orchestrator.audit.Callers;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.web.Pages;
import dev.arcx.orchestrator.signup.SignupService;
import dev.arcx.orchestrator.user.GitHubProfile;
import dev.arcx.orchestrator.user.UserService;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.UserInfo;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Browser sign-in: {@code GET /auth/github[?invite=CODE]} starts GitHub's OAuth flow; GitHub sends the browser back to
 * {@code GET /auth/callback}, where quarkus-oidc has exchanged the code and fetched the user before this class runs;
 * {@code GET /auth/dev?login=NAME} is the development sign-in; {@code POST /auth/logout} ends the session.
 */
@Path("/auth")
@PermitAll
public class LoginResource {
    /** Where a signed-in browser goes: the dashboard. */
    static final URI DASHBOARD = URI.create("/dashboard");
    /** Where someone new without a way in goes: the dashboard's waitlist page. */
    static final URI WAITLIST = URI.create("/waitlist");

    private final LoginService logins;
    private final GitHubTenant github;
    private final GitHubEmails emails;
    private final SessionCookieWriter cookies;
    private final Callers callers;
    private final SecurityIdentity identity;
    private final boolean devLogin;
    private final Pages pages;

    LoginResource(LoginService logins, GitHubTenant github, GitHubEmails emails, SessionCookieWriter cookies,
            Callers callers, SecurityIdentity identity, OrchestratorConfig config, Pages pages) {
        this.pages = pages;
        this.logins = logins;
        this.github = github;
        this.emails = emails;
        this.cookies = cookies;
        this.callers = callers;
        this.identity = identity;
        this.devLogin = config.auth().devLogin();
    }

    /** Keeps the invite code in a short-lived cookie and lets the code flow on the callback path send the browser to GitHub. */
    @GET
    @Path("/github")
    public Response github(@QueryParam("invite") String invite) {
        if (!github.enabled()) {
            throw ApiException.notFound("GitHub sign-in is not configured on this installation (ARCX_GITHUB_CLIENT_ID)");
        }
        Response.ResponseBuilder redirect = Response.status(Response.Status.FOUND)
                .location(URI.create(GitHubTenant.CALLBACK));
        if (invite != null && !invite.isBlank()) {
            if (!SignupService.isInviteCode(invite)) {
                throw ApiException.badRequest("an invite code is 4-64 letters, digits, '-' or '_'");
            }
            redirect.cookie(cookies.invite(invite));
        }
        return redirect.build();
    }

    /** Runs once quarkus-oidc authenticated the GitHub user on this request (see {@link GitHubTenant}). */
    @GET
    @Path("/callback")
    public Uni<Response> callback(@CookieParam(SessionCookieWriter.INVITE) String invite,
            @CookieParam(SessionCookies.SESSION) String previous, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            HttpServerResponse response) {
        UserInfo user = identity.getAttribute("userinfo");
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (user == null || token == null || !user.contains("id") || !user.contains("login")) {
            throw ApiException.unauthorized("GitHub did not confirm who you are; sign in again");
        }
        String ip = callers.sourceIp();
        return emails.primaryVerified(token.getToken())
                .map(email -> new GitHubProfile(user.getLong("id"), user.getString("login"), user.getString("name"),
                        user.getString("avatar_url"), email.orElse(user.getString("email"))))
                .flatMap(profile -> logins.signIn(profile, "github", invite, previous, ip, agent))
                .map(signIn -> {
                    // GitHub's token was needed only until now: the session cookie quarkus-oidc just set goes again.
                    response.removeCookie(GitHubTenant.SESSION_COOKIE);
                    return answer(signIn);
                });
    }

    /** Off unless ARCX_DEV_LOGIN is on (never in the prod profile): signs in as {@code login}, made if missing. */
    @GET
    @Path("/dev")
    public Uni<Response> dev(@QueryParam("login") String login, @QueryParam("invite") String invite,
            @CookieParam(SessionCookies.SESSION) String previous, @HeaderParam(HttpHeaders.USER_AGENT) String agent) {
        if (!devLogin) {
            throw ApiException.notFound("the development sign-in is off (ARCX_DEV_LOGIN)");
        }
        if (!UserService.isLogin(login)) {
            throw ApiException.badRequest("login must be a GitHub-style login: 1-39 letters, digits or single inner "
                    + "hyphens");
        }
        return logins.signIn(new GitHubProfile(null, login, login, null, null), "dev", invite, previous,
                callers.sourceIp(), agent).map(signIn -> {
                    if (!signIn.signedIn()) {
                        throw ApiException.forbidden(signIn.refusal());
                    }
                    return answer(signIn);
                });
    }

    /**
     * Ends the session and clears the cookies; {@code ?everywhere=true} ends all of the user's sessions. Browsers
     * posting a form are sent home, API clients get 204.
     */
    @POST
    @Path("/logout")
    public Uni<Response> logout(@CookieParam(SessionCookies.SESSION) String session,
            @QueryParam("everywhere") boolean everywhere, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return logins.signOut(session, everywhere, callers.sourceIp()).map(done -> {
            Response.ResponseBuilder answer = accept != null && accept.contains("text/html")
                    ? Response.seeOther(URI.create("/")) : Response.noContent();
            return answer.cookie(cookies.cleared()).build();
        });
    }

    /**
     * A refused sign-in (suspended, a bad invite code, ...) as a page for a browser, which followed a link here; API
     * clients keep the problem+json.
     */
    @ServerExceptionMapper
    public Response failed(Throwable failure, HttpServerRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        // Whoever signs in is not signed in yet: the page has the signed-out header.
        return accept != null && accept.contains(MediaType.TEXT_HTML) ? pages.errorResponse(failure, null)
                : ProblemMapper.of(failure, request);
    }

    private Response answer(SignIn signIn) {
        if (!signIn.signedIn() && signIn.account() != null) {
            throw ApiException.forbidden(signIn.refusal());
        }
        if (!signIn.signedIn()) {
            return Response.status(Response.Status.FOUND).location(WAITLIST).cookie(cookies.inviteCleared()).build();
        }
        return Response.status(Response.Status.FOUND).location(DASHBOARD)
                .cookie(cookies.session(signIn.sessionToken(), signIn.expiresAt())).build();
    }
}
