package dev.arcx.orchestrator.dashboard;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A browser asking for a page nothing serves gets the dashboard's 404 page instead of the engine's plain text; API
 * clients (no {@code text/html} in {@code Accept}) and {@code /api} keep their answers.
 */
@ApplicationScoped
public class PageNotFound {
    void register(@Observes Router router, DashboardService dashboard) {
        router.route().last().handler(context -> {
            HttpServerRequest request = context.request();
            String accept = request.getHeader("Accept");
            if (request.method() != HttpMethod.GET || accept == null || !accept.contains("text/html")
                    || request.path().startsWith("/api/")) {
                context.next();
                return;
            }
            context.response().setStatusCode(404).putHeader("Content-Type", "text/html; charset=UTF-8");
            DashboardResource.PAGE_HEADERS.forEach(context.response()::putHeader);
            context.response().end(dashboard.error(null, 404, "Not found", "Nothing lives at this address."));
        });
    }
}
