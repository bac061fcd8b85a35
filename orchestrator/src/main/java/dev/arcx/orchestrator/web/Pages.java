package dev.arcx.orchestrator.web;

import dev.arcx.common.auth.Roles;
import dev.arcx.common.auth.SessionCookies;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.http.ProblemMapper;
import dev.arcx.orchestrator.support.CurrentUser;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What every page of the orchestrator shares, whichever feature serves it (the dashboard, a refused sign-in, a refusal
 * of path-based access): who is looking (signed out means the landing page), the layout's data, the security headers,
 * and errors rendered as pages with the viewer's header.
 */
@ApplicationScoped
public class Pages {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** Every page's security headers besides its type. */
    static final Map<String, String> PAGE_HEADERS = Map.of("Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff", "Referrer-Policy", "same-origin", "Cache-Control", "no-store");
    private static final String HTML = "text/html;charset=UTF-8";
    private static final Logger LOG = Logger.getLogger(Pages.class);
    private static final URI HOME = URI.create("/");

    private final CurrentIdentityAssociation identities;
    private final boolean devLogin;
    private final Template error;

    Pages(CurrentIdentityAssociation identities, OrchestratorConfig config,
            @Location("dashboard/error.html") Template error) {
        this.identities = identities;
        this.devLogin = config.auth().devLogin();
        this.error = error;
    }

    /** A page of the layout: its viewer (null when signed out), title and the main navigation entry it belongs to. */
    public TemplateInstance page(Template template, Viewer viewer, String title, String nav) {
        return template.data("viewer", viewer).data("title", title).data("devLogin", devLogin).data("nav", nav);
    }

    /** The page for a signed-in viewer; signed out, the browser goes to the landing page. */
    public Uni<Response> signedIn(String session, Function<Viewer, Uni<String>> page) {
        return viewer(session).flatMap(viewer -> viewer.isEmpty() ? Uni.createFrom().item(Response.seeOther(HOME).build())
                : page.apply(viewer.get()).map(body -> html(200, body)));
    }

    /**
     * The signed-in user (the session cookie or a bearer token). The platform administrator of {@code ARC_ADMIN_TOKEN}
     * is no user and has no dashboard.
     */
    public Uni<Optional<Viewer>> viewer(String session) {
        return identities.getDeferredIdentity().map(identity -> identity.isAnonymous() || !identity.hasRole(Roles.USER)
                ? Optional.<Viewer>empty()
                : Optional.of(new Viewer(CurrentUser.id(identity), CurrentUser.login(identity),
                        session == null ? null : SessionCookies.csrfToken(session), identity.hasRole(Roles.ADMIN))))
                // A stale or forged cookie is no sign-in: the landing page, not an error.
                .onFailure(AuthenticationFailedException.class).recoverWithItem(Optional.empty());
    }

    /**
     * A page resource's failure as a page, under the header of whoever is signed in: the API's message for 4xx, a
     * plain sentence for anything else. {@code /api/} addresses keep the API's problem+json.
     */
    public Uni<Response> failed(Throwable failure, HttpServerRequest request) {
        if (request.path().startsWith("/api/")) {
            return Uni.createFrom().item(ProblemMapper.of(failure, request));
        }
        var session = request.getCookie(SessionCookies.SESSION);
        return viewer(session == null ? null : session.getValue()).onFailure().recoverWithItem(Optional.empty())
                .map(viewer -> errorResponse(failure, viewer.orElse(null)));
    }

    /** The failure as an error page under {@code viewer}'s header (null: signed out). */
    public Response errorResponse(Throwable failure, Viewer viewer) {
        Shown shown = shown(failure);
        return html(shown.status(), errorPage(viewer, shown.status(), shown.title(), shown.detail()));
    }

    /**
     * The failure as an error page under {@code viewer}'s header (null: signed out), for a Vert.x route, which no
     * exception mapper serves: the same page and headers as {@link #errorResponse}.
     */
    public void send(HttpServerResponse response, Throwable failure, Viewer viewer) {
        Shown shown = shown(failure);
        String body = errorPage(viewer, shown.status(), shown.title(), shown.detail());
        response.setStatusCode(shown.status()).putHeader(HttpHeaders.CONTENT_TYPE, HTML);
        PAGE_HEADERS.forEach(response::putHeader);
        response.end(body);
    }

    /** What a page shows of a failure: the API's status, title and message for 4xx, a plain sentence otherwise. */
    private static Shown shown(Throwable failure) {
        if (failure instanceof ApiException e) {
            return new Shown(e.status(), e.title(), e.getMessage());
        }
        if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            return new Shown(e.getResponse().getStatus(), "Not available", "This page does not exist.");
        }
        LOG.error("page failed", failure);
        return new Shown(500, "Something went wrong", "The page could not be shown. Try again in a moment.");
    }

    private record Shown(int status, String title, String detail) {
    }

    /** An error as a page: the status, its title and a sentence for people (never a stack trace). */
    public String errorPage(Viewer viewer, int status, String title, String detail) {
        return page(error, viewer, title, null).data("status", status).data("detail", detail).render();
    }

    public static Response html(int status, String body) {
        Response.ResponseBuilder page = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(body);
        PAGE_HEADERS.forEach(page::header);
        return page.build();
    }
}
