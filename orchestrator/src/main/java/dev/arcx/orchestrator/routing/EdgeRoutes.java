package dev.arcx.orchestrator.routing;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host names of workspaces and the Traefik labels that route them: the IDE at
 * {@code <workspace>--<login>.<domain>}, a forwarded port at {@code <port>--<workspace>--<login>.<domain>}; and the
 * paths the orchestrator itself serves them at when no wildcard DNS is there (local mode): {@code /@<login>/<workspace>/}
 * and {@code /@<login>/<workspace>/ports/<port>/}.
 *
 * <p>A Traefik rule is a small expression language, so a value spliced into {@code Host(`...`)} could rewrite the
 * rule. Every host name is therefore checked to be lower-case DNS labels before it reaches a label; anything else is
 * refused, never escaped. Workspace names and logins contain no {@code --} (both rules forbid consecutive hyphens),
 * which keeps the two host shapes apart when parsing them back.
 */
@ApplicationScoped
public class EdgeRoutes {
    /** Entry point, certificate resolver and middlewares defined in traefik/traefik.yml and dynamic/middlewares.yml. */
    public static final String ENTRYPOINT = "websecure";
    public static final String CERT_RESOLVER = "letsencrypt";
    public static final List<String> MIDDLEWARES = List.of("arcx-forward-auth@file", "arcx-security-headers@file",
            "arcx-rate-limit@file");
    /** One DNS label as browsers and certificate authorities accept it, lower-case only. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile(DNS_LABEL.pattern() + "(?:\\." + DNS_LABEL.pattern() + ")+");
    /** A forwarded port's label: the port, then the IDE's label. */
    private static final Pattern PORT_LABEL = Pattern.compile("([1-9][0-9]{0,4})--(.+)");
    private static final String SEPARATOR = "--";
    /** Path-based addresses start with this; no API path does. */
    public static final String PATH_PREFIX = "/@";
    /** The same with the '@' percent-encoded, as some clients (RestAssured, for one) send it. */
    private static final String ENCODED_PATH_PREFIX = "/%40";
    private static final String PORTS_SEGMENT = "/ports/";
    /** Room a port's prefix takes in a label ({@code 65535--}), so every port of a workspace fits once its name does. */
    private static final int LONGEST_PORT_PREFIX = 7;
    private static final int MAX_LABEL = 63;

    private final boolean enabled;
    private final String domain;
    private final String network;

    EdgeRoutes(OrchestratorConfig config) {
        this.domain = config.routing().domain().map(d -> d.toLowerCase(Locale.ROOT)).orElse(null);
        this.enabled = config.routing().enabled().orElse(domain != null);
        this.network = config.routing().network();
        if (enabled && (domain == null || !DOMAIN.matcher(domain).matches())) {
            throw new IllegalStateException("routing is enabled, so arcx.routing.domain (ARCX_DOMAIN) must be a host "
                    + "name of lower-case DNS labels such as arcx.run; it is " + domain);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The engine network Traefik reaches workspaces on. */
    public String network() {
        return network;
    }

    /** The edge network's bridge: {@code arcxw…} so the host firewall guard covers it, within Linux's 15 characters. */
    public String bridgeName() {
        return "arcxw" + UUID.nameUUIDFromBytes(network.getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").substring(0, 10);
    }

    /**
     * Why a workspace named {@code name} of the user {@code login} could not be routed, if it could not: its longest
     * host label (a five-digit port's) must stay a DNS label.
     */
    public Optional<String> nameProblem(String name, String login) {
        int room = MAX_LABEL - LONGEST_PORT_PREFIX - SEPARATOR.length() - login.length();
        if (name.length() > room) {
            return Optional.of("with your login '" + login + "' the name may have at most " + room + " characters, "
                    + "so its addresses (<port>--<name>--<login>." + domain + ") stay DNS labels");
        }
        return Optional.empty();
    }

    /** The IDE's host name. */
    public String ideHost(String name, String login) {
        return host(name + SEPARATOR + login.toLowerCase(Locale.ROOT));
    }

    /** A forwarded port's host name. */
    public String portHost(int port, String name, String login) {
        return host(port + SEPARATOR + name + SEPARATOR + login.toLowerCase(Locale.ROOT));
    }

    /**
     * What a request's host names: the workspace and, for a forwarded port, the port. Empty for anything that is not
     * one of our host names; never throws on garbage.
     */
    public Optional<RouteAddress> parse(String forwardedHost) {
        if (domain == null || forwardedHost == null) {
            return Optional.empty();
        }
        String host = forwardedHost.strip().toLowerCase(Locale.ROOT).replaceFirst(":[0-9]{1,5}$", "");
        String suffix = "." + domain;
        if (!host.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - suffix.length());
        int split = label.lastIndexOf(SEPARATOR);
        if (!DNS_LABEL.matcher(label).matches() || split <= 0) {
            return Optional.empty();
        }
        String login = label.substring(split + SEPARATOR.length());
        String rest = label.substring(0, split);
        Matcher port = PORT_LABEL.matcher(rest);
        if (port.matches()) {
            int number = Integer.parseInt(port.group(1));
            return number > 65535 ? Optional.empty() : Optional.of(new RouteAddress(port.group(2), login, number));
        }
        return Optional.of(new RouteAddress(rest, login, null));
    }

    /** The IDE's path-based address, with the closing slash its relative links need. */
    public static String idePath(String name, String login) {
        return PATH_PREFIX + login.toLowerCase(Locale.ROOT) + "/" + name + "/";
    }

    /** A forwarded port's path-based address. */
    public static String portPath(int port, String name, String login) {
        return idePath(name, login) + PORTS_SEGMENT.substring(1) + port + "/";
    }

    /**
     * What a path names: the workspace, the port (under {@code /ports/<port>}, which the IDE's own paths therefore
     * cannot use) and the path the workspace gets. Empty for anything that is not such an address, garbage included.
     * Expects a normalized path (no dot segments), as the router matches on.
     */
    public static Optional<PathAddress> parsePath(String path) {
        int loginStart = path == null ? -1 : path.startsWith(PATH_PREFIX) ? PATH_PREFIX.length()
                : path.regionMatches(true, 0, ENCODED_PATH_PREFIX, 0, ENCODED_PATH_PREFIX.length())
                        ? ENCODED_PATH_PREFIX.length() : -1;
        int loginEnd = loginStart < 0 ? -1 : path.indexOf('/', loginStart);
        if (loginEnd < 0) {
            return Optional.empty();
        }
        String login = path.substring(loginStart, loginEnd).toLowerCase(Locale.ROOT);
        int nameEnd = path.indexOf('/', loginEnd + 1);
        String name = path.substring(loginEnd + 1, nameEnd < 0 ? path.length() : nameEnd);
        if (!DNS_LABEL.matcher(login).matches() || !DNS_LABEL.matcher(name).matches()) {
            return Optional.empty();
        }
        String prefix = path.substring(0, nameEnd < 0 ? path.length() : nameEnd);
        String rest = nameEnd < 0 ? null : path.substring(nameEnd);
        if (rest != null && (rest + "/").startsWith(PORTS_SEGMENT)) {
            if (rest.length() <= PORTS_SEGMENT.length()) {
                return Optional.empty();
            }
            int portEnd = rest.indexOf('/', PORTS_SEGMENT.length());
            String digits = rest.substring(PORTS_SEGMENT.length(), portEnd < 0 ? rest.length() : portEnd);
            if (!digits.matches("[1-9][0-9]{0,4}") || Integer.parseInt(digits) > 65535) {
                return Optional.empty();
            }
            return Optional.of(new PathAddress(new RouteAddress(name, login, Integer.parseInt(digits)),
                    prefix + PORTS_SEGMENT + digits, portEnd < 0 ? null : rest.substring(portEnd)));
        }
        return Optional.of(new PathAddress(new RouteAddress(name, login, null), prefix, rest));
    }

    /**
     * The labels that make Traefik route the workspace: its IDE (owner only, checked by forward-auth) and each
     * forwarded port. Sorted, because they are part of the container spec's digest.
     */
    public Map<String, String> labels(UUID workspaceId, String name, String login, int idePort,
            List<ForwardedPort> ports) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("traefik.enable", "true");
        labels.put("traefik.docker.network", network);
        route(labels, "arcx-" + workspaceId + "-ide", ideHost(name, login), idePort);
        for (ForwardedPort forwarded : ports) {
            route(labels, "arcx-" + workspaceId + "-p" + forwarded.port(), portHost(forwarded.port(), name, login),
                    forwarded.port());
        }
        return labels;
    }

    private static void route(Map<String, String> labels, String router, String host, int port) {
        String prefix = "traefik.http.routers." + router;
        labels.put(prefix + ".rule", "Host(`" + host + "`)");
        labels.put(prefix + ".entrypoints", ENTRYPOINT);
        labels.put(prefix + ".tls.certresolver", CERT_RESOLVER);
        labels.put(prefix + ".middlewares", String.join(",", MIDDLEWARES));
        labels.put(prefix + ".service", router);
        labels.put("traefik.http.services." + router + ".loadbalancer.server.port", Integer.toString(port));
    }

    /** The host name for {@code label}, refused unless it is one DNS label: nothing else may enter a rule. */
    private String host(String label) {
        if (!DNS_LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("'" + label + "' is not a DNS label, so it cannot become a host name");
        }
        return label + "." + domain;
    }

    /**
     * A workspace host name, parsed.
     *
     * @param port the forwarded port, or null for the IDE
     */
    public record RouteAddress(String workspaceName, String login, Integer port) {
    }

    /**
     * A path-based address, parsed.
     *
     * @param prefix the part of the path that names the workspace (and port), without a closing slash
     * @param rest the path the workspace gets, from its slash on; null when the address stops at the prefix
     */
    public record PathAddress(RouteAddress target, String prefix, String rest) {
    }
}
