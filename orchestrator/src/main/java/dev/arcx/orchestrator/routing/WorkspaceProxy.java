package dev.arcx.orchestrator.routing;

import dev.arcx.common.http.ApiException;
import dev.arcx.common.http.RouteProblems;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.routing.EdgeRoutes.PathAddress;
import dev.arcx.orchestrator.routing.ForwardAuthService.Grant;
import dev.arcx.orchestrator.routing.WorkspaceTargets.Target;
import dev.arcx.orchestrator.web.Pages;
import dev.arcx.orchestrator.workspace.WorkspaceActivity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Path-based access to workspaces: {@code /@<login>/<workspace>/…} (the IDE) and
 * {@code /@<login>/<workspace>/ports/<port>/…} (a forwarded port) proxied by the orchestrator itself, for when no
 * wildcard DNS routes host names (and in local mode, where no Traefik runs). The checks are forward-auth's; the
 * prefix is stripped, so the workspace sees its own paths, as under a host name.
 *
 * <p>Everything runs on the event loop and streams both ways: request and response bodies are piped with
 * back-pressure (code-server's workbench script alone is ~19 MB), and a WebSocket upgrade becomes a byte tunnel
 * between the two connections once the workspace answers 101, so frames pass untouched (extensions such as
 * permessage-deflate included). Every request, and what a visitor sends through a tunnel, is workspace activity.
 *
 * <p>The workspace sees the visitor's cookies except the session (as behind forward-auth), {@code X-Arcx-User} set
 * by us alone, the visitor's {@code Host} (code-server checks WebSocket origins against it) and the
 * {@code X-Forwarded-*} headers. Its answers may not set the session cookie, and its cookies and absolute redirects
 * are kept under its prefix.
 */
@ApplicationScoped
public class WorkspaceProxy {
    private static final Logger LOG = Logger.getLogger(WorkspaceProxy.class);
    /** Cheap pre-filter; {@link EdgeRoutes#parsePath} decides. */
    private static final String ROUTE = "/(?:@|%40)[^/]+/[^/]+(/.*)?";
    /** Headers of one connection (RFC 9110 section 7.6.1), never forwarded as they are. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings");
    private static final Pattern COOKIE_PATH = Pattern.compile("(?i)(;\\s*path\\s*=\\s*)([^;]*)");
    /** At most one activity note per tunnel and second: a terminal's keystrokes need not each allocate one. */
    private static final long TOUCH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final ForwardAuthService auth;
    private final WorkspaceTargets targets;
    private final WorkspaceActivity activity;
    private final OpenTunnels tunnels;
    private final Pages pages;
    private final boolean enabled;
    private final boolean trustProxy;
    private final HttpClient client;

    WorkspaceProxy(ForwardAuthService auth, WorkspaceTargets targets, WorkspaceActivity activity,
            OpenTunnels tunnels, Pages pages, OrchestratorConfig config, Vertx vertx) {
        this.auth = auth;
        this.targets = targets;
        this.activity = activity;
        this.tunnels = tunnels;
        this.pages = pages;
        this.enabled = config.routing().pathAccess();
        this.trustProxy = config.audit().trustProxy();
        // HTTP/1.1 to the workspace, bodies as they come (no decompression), a pool wide enough for a page that
        // loads dozens of scripts at once, no redirect followed: the visitor's browser follows them.
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setDecompressionSupported(false).setMaxPoolSize(32).setKeepAlive(true).setMaxHeaderSize(32 * 1024));
    }

    void register(@Observes Router router) {
        if (enabled) {
            // Before the REST layer's route, which answers 404 for paths it does not know, and before the API's body
            // size limit: what a visitor uploads to a workspace streams through, whatever its size.
            router.routeWithRegex(ROUTE).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::handle);
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        var parsed = EdgeRoutes.parsePath(ctx.normalizedPath());
        if (parsed.isEmpty()) {
            ctx.next();
            return;
        }
        PathAddress address = parsed.get();
        if (address.rest() == null) {
            // The IDE's relative links resolve against the directory: the address needs its closing slash.
            String query = request.query();
            request.response().setStatusCode(308)
                    .putHeader(HttpHeaders.LOCATION, address.prefix() + "/" + (query == null ? "" : "?" + query))
                    .end();
            return;
        }
        // The body waits until the workspace's connection is there.
        request.pause();
        Context context = Vertx.currentContext();
        Cookie session = request.getCookie(ForwardAuthResource.SESSION_COOKIE);
        String sessionToken = session == null ? null : session.getValue();
        auth.authorize(address.target(), sessionToken)
                .flatMap(grant -> targets.resolve(grant.workspaceId(), address.target())
                        .map(target -> new Route(address, grant, sessionToken, target)))
                .emitOn(onContext(context))
                .subscribe().with(route -> connect(ctx, context, route, true), failure -> refuse(ctx, failure));
    }

    /** A request on its way: where it came from, who sent it (and their session), where it goes. */
    private record Route(PathAddress address, Grant grant, String session, Target target) {
        String upstreamUri(HttpServerRequest request) {
            String query = request.query();
            return address.rest() + (query == null ? "" : "?" + query);
        }
    }

    /** Mutiny emits database and engine answers on their own threads; the request is the event loop's. */
    private static Executor onContext(Context context) {
        return task -> context.runOnContext(ignored -> task.run());
    }

    private void connect(RoutingContext ctx, Context context, Route route, boolean firstTry) {
        HttpServerRequest in = ctx.request();
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(route.target().port(), route.target().ip()))
                .setMethod(in.method()).setURI(route.upstreamUri(in)).setFollowRedirects(false);
        client.request(options).onComplete(opened -> {
            if (opened.succeeded()) {
                forward(ctx, route, opened.result());
            } else if (firstTry) {
                // A restarted container may have a new address: look it up once more.
                targets.forget(route.target().workspaceId());
                targets.resolve(route.target().workspaceId(), route.address().target())
                        .emitOn(onContext(context))
                        .subscribe().with(target -> connect(ctx, context, new Route(route.address(), route.grant(),
                                route.session(), target), false), failure -> refuse(ctx, failure));
            } else {
                LOG.debugf(opened.cause(), "workspace %s: port %d did not answer", route.target().workspaceId(),
                        route.target().port());
                refuse(ctx, ApiException.badGateway("Workspace not answering", "nothing answers on port "
                        + route.target().port() + " of the workspace; a program there must listen on 0.0.0.0"));
            }
        });
    }

    private void forward(RoutingContext ctx, Route route, HttpClientRequest out) {
        HttpServerRequest in = ctx.request();
        boolean upgrade = isWebSocketUpgrade(in.headers());
        copyRequestHeaders(in, out, route, upgrade);
        HttpServerResponse response = in.response();
        response.closeHandler(gone -> out.reset());
        // Failures reach the handlers below; this only keeps Vert.x from logging each closed tunnel as an error.
        out.exceptionHandler(broken -> LOG.debugf(broken, "workspace %s: connection ended",
                route.target().workspaceId()));
        if (upgrade) {
            out.connect().onComplete(answered -> {
                if (answered.failed()) {
                    failed(ctx, route, answered.cause());
                } else if (answered.result().statusCode() == 101) {
                    tunnel(in, answered.result(), route);
                } else {
                    respond(ctx, route, answered.result());
                }
            });
            return;
        }
        out.response().onComplete(answered -> {
            if (answered.failed()) {
                failed(ctx, route, answered.cause());
            } else {
                respond(ctx, route, answered.result());
            }
        });
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else if (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            out.setChunked(true);
        }
        if (in.isEnded()) {
            out.end();
        } else {
            in.pipe().endOnFailure(false).to(out).onFailure(broken -> out.reset());
        }
    }

    /** The workspace's answer, streamed to the visitor; a break on either side ends both. */
    private void respond(RoutingContext ctx, Route route, HttpClientResponse answer) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
        copyResponseHeaders(answer.headers(), response.headers(), route);
        boolean bodyless = ctx.request().method() == HttpMethod.HEAD || answer.statusCode() == 204
                || answer.statusCode() == 304 || answer.statusCode() < 200;
        if (!bodyless && !answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        answer.pipe().endOnFailure(false).to(response).onFailure(broken -> {
            LOG.debugf(broken, "workspace %s: answer broken off", route.target().workspaceId());
            answer.request().reset();
            response.reset();
        });
    }

    /**
     * The WebSocket connection as raw bytes both ways, once the workspace switched protocols: the 101 goes to the
     * visitor with the workspace's headers, then each connection's bytes are written to the other.
     */
    private void tunnel(HttpServerRequest in, HttpClientResponse switched, Route route) {
        NetSocket workspace = switched.netSocket();
        HttpServerResponse response = in.response();
        response.setStatusCode(101);
        switched.headers().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH.toString())
                    && !h.getKey().equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING.toString())) {
                response.headers().add(h.getKey(), h.getValue());
            }
        });
        in.toNetSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                LOG.debugf(upgraded.cause(), "workspace %s: the visitor's side of a WebSocket failed",
                        route.target().workspaceId());
                workspace.close();
                return;
            }
            NetSocket visitor = upgraded.result();
            UUID workspaceId = route.target().workspaceId();
            OpenTunnels.Tunnel tunnel = new OpenTunnels.Tunnel(route.grant().callerId(), workspaceId,
                    route.address().target(), route.session(), visitor, workspace);
            tunnels.opened(tunnel);
            Runnable closed = () -> tunnels.closed(tunnel);
            long[] lastTouch = {System.nanoTime()};
            splice(visitor, workspace, () -> {
                long now = System.nanoTime();
                if (now - lastTouch[0] >= TOUCH_EVERY_NANOS) {
                    lastTouch[0] = now;
                    activity.touch(workspaceId);
                }
            }, closed);
            splice(workspace, visitor, () -> {
            }, closed);
        });
    }

    /** Copies {@code from} to {@code to} with back-pressure; when either closes or fails, both close. */
    private static void splice(NetSocket from, NetSocket to, Runnable onData, Runnable onClose) {
        from.handler(bytes -> {
            onData.run();
            to.write(bytes);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(drained -> from.resume());
            }
        });
        from.closeHandler(closed -> {
            to.close();
            onClose.run();
        });
        from.exceptionHandler(broken -> {
            from.close();
            to.close();
        });
    }

    private void failed(RoutingContext ctx, Route route, Throwable cause) {
        LOG.debugf(cause, "workspace %s: request failed", route.target().workspaceId());
        if (ctx.response().headWritten()) {
            ctx.response().reset();
        } else {
            refuse(ctx, ApiException.badGateway("Workspace not answering", "the workspace closed the connection "
                    + "without an answer"));
        }
    }

    private void copyRequestHeaders(HttpServerRequest in, HttpClientRequest out, Route route, boolean upgrade) {
        MultiMap headers = out.headers();
        Set<String> connectionScoped = connectionScoped(in.headers());
        in.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!connectionScoped.contains(name) && !name.equals("host") && !name.equals("cookie")
                    && !name.equals(ForwardAuthResource.USER_HEADER.toLowerCase(Locale.ROOT))
                    && !name.startsWith("x-forwarded-") && !name.equals("forwarded")) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        if (upgrade) {
            headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
            headers.set(HttpHeaders.UPGRADE, in.getHeader(HttpHeaders.UPGRADE));
        }
        String cookies = ForwardAuthResource.withoutSession(in.headers().getAll(HttpHeaders.COOKIE));
        if (!cookies.isEmpty()) {
            headers.set(HttpHeaders.COOKIE, cookies);
        }
        route.grant().callerLogin().ifPresent(login -> headers.set(ForwardAuthResource.USER_HEADER, login));
        HostAndPort host = in.authority();
        if (host != null) {
            out.authority(host);
        }
        String peer = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
        String forwardedFor = trustProxy ? in.getHeader("X-Forwarded-For") : null;
        headers.set("X-Forwarded-For", forwardedFor == null ? String.valueOf(peer) : forwardedFor + ", " + peer);
        headers.set("X-Forwarded-Proto", trusted(in, "X-Forwarded-Proto", in.scheme()));
        headers.set("X-Forwarded-Host", trusted(in, "X-Forwarded-Host", host == null ? "" : host.toString()));
        headers.set("X-Forwarded-Prefix", route.address().prefix());
    }

    private String trusted(HttpServerRequest in, String header, String ours) {
        String theirs = trustProxy ? in.getHeader(header) : null;
        return theirs == null ? ours : theirs;
    }

    private static void copyResponseHeaders(MultiMap from, MultiMap to, Route route) {
        Set<String> connectionScoped = connectionScoped(from);
        String prefix = route.address().prefix();
        String upstream = route.target().ip() + ":" + route.target().port();
        from.forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (connectionScoped.contains(name)) {
                return;
            }
            String value = h.getValue();
            if (name.equals("set-cookie")) {
                if (setsSession(value)) {
                    return;
                }
                value = scopedCookie(value, prefix);
            } else if (name.equals("location")) {
                value = underPrefix(value, prefix, upstream);
            }
            to.add(h.getKey(), value);
        });
    }

    /** Hop-by-hop headers plus every header the Connection header names. */
    private static Set<String> connectionScoped(MultiMap headers) {
        List<String> named = headers.getAll(HttpHeaders.CONNECTION).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(token -> token.strip().toLowerCase(Locale.ROOT)).filter(token -> !token.isEmpty()).toList();
        if (named.isEmpty()) {
            return HOP_BY_HOP;
        }
        return Stream.concat(HOP_BY_HOP.stream(), named.stream()).collect(Collectors.toSet());
    }

    static boolean isWebSocketUpgrade(MultiMap headers) {
        String upgrade = headers.get(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket") && headers.getAll(HttpHeaders.CONNECTION)
                .stream().anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("upgrade"));
    }

    /** A workspace must not set (or clear) its visitors' platform session, which shares its origin. */
    static boolean setsSession(String setCookie) {
        return setCookie.split("=", 2)[0].strip().equals(ForwardAuthResource.SESSION_COOKIE);
    }

    /** A cookie the workspace sets for a path of its own is kept under its prefix, away from other workspaces. */
    static String scopedCookie(String setCookie, String prefix) {
        var path = COOKIE_PATH.matcher(setCookie);
        if (!path.find()) {
            return setCookie;
        }
        String value = path.group(2).strip();
        if (!value.startsWith("/") || value.equals(prefix) || value.startsWith(prefix + "/")) {
            return setCookie;
        }
        return setCookie.substring(0, path.start(2)) + prefix + value + setCookie.substring(path.end(2));
    }

    /** A redirect to one of the workspace's own absolute paths, or to its internal address, stays under the prefix. */
    static String underPrefix(String location, String prefix, String upstreamAuthority) {
        if (location.startsWith("/") && !location.startsWith("//")) {
            return location.equals(prefix) || location.startsWith(prefix + "/") ? location : prefix + location;
        }
        String internal = "http://" + upstreamAuthority;
        if (location.equals(internal) || location.startsWith(internal + "/") || location.startsWith(internal + "?")) {
            String rest = location.substring(internal.length());
            return prefix + (rest.startsWith("/") ? rest : "/" + rest);
        }
        return location;
    }

    /**
     * The refusal as the API and the dashboard answer failures: problem+json, or the error page for a browser
     * navigating here (under the signed-out header: a refusal is decided without loading the visitor). The status and
     * reason are forward-auth's (401, 404), or 503 while the workspace is not running, 502 when it does not answer.
     */
    private void refuse(RoutingContext ctx, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.closed()) {
            return;
        }
        // A refused upload is read to its end and dropped, so the connection can serve the next request.
        ctx.request().resume();
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("text/html")) {
            pages.send(response, failure, null);
        } else {
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            RouteProblems.send(ctx, failure);
        }
    }
}
