package dev.arcx.orchestrator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sign-in client: a real HTTP client with a cookie jar that follows redirects hop by hop across the
 * orchestrator and the fake GitHub, as a browser would. It stops at the dashboard's pages (which another module
 * serves) and records every hop. Requests to the orchestrator come from {@code clientIp} (X-Forwarded-For, trusted
 * in tests), so each test has its own sign-in rate limit.
 */
public final class SignInClient {
    /** Pages a sign-in ends on; the dashboard serves them, so the browser does not follow there. */
    private static final Set<String> LANDINGS = Set.of("/dashboard", "/waitlist");
    private static final int MAX_HOPS = 10;

    private final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(jar)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI app;
    private final String clientIp;

    public SignInClient(URI app, String clientIp) {
        this.app = app;
        this.clientIp = clientIp;
    }

    /** GETs {@code path} on the orchestrator and follows redirects; the last hop is where the browser ended up. */
    public List<Hop> open(String path) {
        List<Hop> hops = new ArrayList<>();
        URI next = app.resolve(path);
        for (int i = 0; i < MAX_HOPS; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(next).GET(), next);
            String location = response.headers().firstValue("Location").orElse(null);
            hops.add(new Hop(next, response.statusCode(), location, response.body()));
            if (response.statusCode() / 100 != 3 || location == null) {
                return hops;
            }
            next = next.resolve(location);
            if (isApp(next) && LANDINGS.contains(next.getPath())) {
                return hops;
            }
        }
        throw new AssertionError("more than " + MAX_HOPS + " redirects: " + hops);
    }

    /** One request to the orchestrator with the jar's cookies (and any extra headers), not following redirects. */
    public HttpResponse<String> request(String method, String path, Map<String, String> headers) {
        URI uri = app.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request, uri);
    }

    /** The value of the orchestrator's cookie {@code name} in the jar, or null. */
    public String cookie(String name) {
        return jar.getCookieStore().get(app).stream().filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Puts a cookie for the orchestrator in the jar, as a stale or forged one would be. */
    public void setCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        jar.getCookieStore().add(app, cookie);
    }

    public List<String> cookieNames() {
        return jar.getCookieStore().get(app).stream().map(HttpCookie::getName).toList();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI uri) {
        if (isApp(uri)) {
            request.header("X-Forwarded-For", clientIp);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean isApp(URI uri) {
        return app.getHost().equals(uri.getHost()) && app.getPort() == uri.getPort();
    }

    /** One response on the way: where it was, its status and Location, and its body. */
    public record Hop(URI uri, int status, String location, String body) {
        public String path() {
            return uri.getPath();
        }
    }
}
