package dev.arcx.testkit.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitHub's OAuth web flow and the two API calls sign-in makes, on loopback, as GitHub answers them:
 * <ul>
 * <li>{@code GET /login/oauth/authorize}: the signed-in GitHub user ({@link #signIn}) approves at once; the browser is
 * sent to {@code redirect_uri} with {@code code} and {@code state}. An unknown client id is a 404 page, a redirect_uri
 * outside the app's callback path a 400, as GitHub refuses both without redirecting.</li>
 * <li>{@code POST /login/oauth/access_token}: client credentials as form fields or HTTP Basic; a code works once,
 * for ten minutes, with the redirect_uri it was issued for. Errors are 200 answers with an {@code error} field, as
 * GitHub does. JSON when the Accept header asks for it, else form-encoded.</li>
 * <li>{@code GET /user}, {@code GET /user/emails}: with {@code Authorization: Bearer|token <token>}; 401 "Bad
 * credentials" otherwise; the e-mails need the {@code user:email} (or {@code user}) scope, else 404.</li>
 * </ul>
 */
public final class FakeGitHub extends LoopbackServer {
    public static final String CLIENT_ID = "Iv1.fakeclient0123";
    public static final String CLIENT_SECRET = "fake-client-secret-0123456789abcdef0123";
    /** The path GitHub's OAuth app has registered as its callback (any port of loopback, as tests pick ports). */
    public static final String CALLBACK_PATH = "/auth/callback";
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<Long, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicInteger nextId = new AtomicInteger(1_000_000);
    private volatile Long signedIn;

    /** GitHub's web and API address (the real ones are two hosts; one fake serves both). */
    public String url() {
        return baseUrl();
    }

    /** A new GitHub account with a verified primary e-mail address, and no public one. */
    public Account newAccount(String login, String name) {
        Account account = new Account(nextId.incrementAndGet(), login, name,
                "https://avatars.example.test/u/" + login, null, login + "@users.example.test");
        accounts.put(account.id(), account);
        return account;
    }

    /** Replaces the account's profile, as a rename or an edit on GitHub would. */
    public void update(Account account) {
        accounts.put(account.id(), account);
    }

    /** Who is signed in to GitHub in "the browser": they approve the app when sent to authorize. */
    public void signIn(Account account) {
        signedIn = account.id();
    }

    /** Codes exchanged for tokens so far (successful exchanges only). */
    public int exchanges() {
        return exchanges.get();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/login/oauth/authorize")) {
                authorize(exchange);
            } else if (method.equals("POST") && path.equals("/login/oauth/access_token")) {
                accessToken(exchange);
            } else if (method.equals("GET") && path.equals("/user")) {
                user(exchange);
            } else if (method.equals("GET") && path.equals("/user/emails")) {
                emails(exchange);
            } else {
                send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
        }
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id"))) {
            send(exchange, 404, "text/html", "<h1>404</h1>");
            return;
        }
        String redirectUri = query.get("redirect_uri");
        URI redirect = redirectUri == null ? null : URI.create(redirectUri);
        if (redirect == null || !CALLBACK_PATH.equals(redirect.getPath())
                || !List.of("localhost", "127.0.0.1").contains(redirect.getHost())) {
            send(exchange, 400, "text/html", "<h1>The redirect_uri is not associated with this application.</h1>");
            return;
        }
        Long account = signedIn;
        if (account == null) {
            send(exchange, 401, "text/html", "<h1>Sign in to GitHub</h1>");
            return;
        }
        String code = random(10);
        codes.put(code, new Grant(account, redirectUri, query.getOrDefault("scope", ""),
                Instant.now().plus(CODE_LIFETIME)));
        StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?')
                .append("code=").append(code);
        if (query.get("state") != null) {
            location.append("&state=").append(URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
        }
        exchange.getResponseHeaders().add("Location", location.toString());
        exchange.sendResponseHeaders(302, -1);
    }

    private void accessToken(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId = body.get("client_id");
        String clientSecret = body.get("client_secret");
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            clientSecret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        Grant grant = body.get("code") == null ? null : codes.remove(body.get("code"));
        if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(clientSecret)) {
            error(answer, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
        } else if (grant == null || grant.expiresAt().isBefore(Instant.now())) {
            error(answer, "bad_verification_code", "The code passed is incorrect or expired.");
        } else if (body.get("redirect_uri") != null && !body.get("redirect_uri").equals(grant.redirectUri())) {
            error(answer, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this "
                    + "application.");
        } else {
            String token = "gho_" + random(18);
            tokens.put(token, grant);
            exchanges.incrementAndGet();
            answer.put("access_token", token);
            answer.put("token_type", "bearer");
            answer.put("scope", grant.scope());
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("application/json")) {
            send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsString(answer));
        } else {
            StringBuilder encoded = new StringBuilder();
            answer.forEach((key, value) -> encoded.append(encoded.isEmpty() ? "" : "&").append(key).append('=')
                    .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
            send(exchange, 200, "application/x-www-form-urlencoded; charset=utf-8", encoded.toString());
        }
    }

    private void user(HttpExchange exchange) throws IOException {
        Grant grant = bearer(exchange);
        if (grant == null) {
            return;
        }
        Account account = accounts.get(grant.accountId());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("login", account.login());
        user.put("id", account.id());
        user.put("node_id", "U_" + account.id());
        user.put("avatar_url", account.avatarUrl());
        user.put("type", "User");
        user.put("site_admin", false);
        user.put("name", account.name());
        user.put("email", account.publicEmail());
        send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsString(user));
    }

    private void emails(HttpExchange exchange) throws IOException {
        Grant grant = bearer(exchange);
        if (grant == null) {
            return;
        }
        List<String> scopes = List.of(grant.scope().split("[ ,]"));
        if (!scopes.contains("user:email") && !scopes.contains("user")) {
            send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            return;
        }
        Account account = accounts.get(grant.accountId());
        List<Map<String, Object>> emails = new ArrayList<>();
        emails.add(Map.of("email", "unverified-" + account.primaryEmail(), "primary", false, "verified", false,
                "visibility", "private"));
        emails.add(Map.of("email", account.primaryEmail(), "primary", true, "verified", true, "visibility", "private"));
        send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsString(emails));
    }

    /** The grant of the request's token; answers 401 and returns null when there is none. */
    private Grant bearer(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Grant grant = null;
        if (header != null) {
            String[] parts = header.split(" ", 2);
            if (parts.length == 2 && (parts[0].equalsIgnoreCase("bearer") || parts[0].equalsIgnoreCase("token"))) {
                grant = tokens.get(parts[1].strip());
            }
        }
        if (grant == null) {
            send(exchange, 401, "application/json", "{\"message\":\"Bad credentials\","
                    + "\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"401\"}");
        }
        return grant;
    }

    private static void error(Map<String, Object> answer, String error, String description) {
        answer.put("error", error);
        answer.put("error_description", description);
        answer.put("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors");
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    /** A GitHub account: what {@code /user} and {@code /user/emails} tell about it. */
    public record Account(long id, String login, String name, String avatarUrl, String publicEmail,
            String primaryEmail) {
        public Account renamed(String newLogin, String newName) {
            return new Account(id, newLogin, newName, avatarUrl + "?v=2", publicEmail, primaryEmail);
        }
    }

    private record Grant(long accountId, String redirectUri, String scope, Instant expiresAt) {
    }
}
