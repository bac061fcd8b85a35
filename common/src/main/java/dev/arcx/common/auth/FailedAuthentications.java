package dev.arcx.common.auth;

import dev.arcx.common.tokens.ApiTokens;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Failed bearer authentications per client address: past {@code arcx.auth.failed-authentications-per-minute} in one
 * wall-clock minute, the address's bearer tokens get 429 with {@code Retry-After} until the minute ends, before any
 * lookup, so guessing tokens costs neither the database nor anyone's patience. Tokens that authenticated in the last
 * {@link #KNOWN_FOR_MILLIS} still pass: clients behind the same address as a guesser keep working, and only a
 * token new to this process waits out the minute. In memory per process, like the request limits: a restart gives a
 * guesser one fresh minute at most.
 */
@ApplicationScoped
public class FailedAuthentications {
    static final long KNOWN_FOR_MILLIS = 10 * 60_000;
    /** Past this many addresses or known tokens, entries that ended are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Map<String, Window> failures = new ConcurrentHashMap<>();
    /** SHA-256 of tokens that authenticated, with when they last did. */
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private final int perMinute;
    private final boolean trustProxy;

    FailedAuthentications(@ConfigProperty(name = "arcx.auth.failed-authentications-per-minute",
            defaultValue = "30") int perMinute,
            @ConfigProperty(name = "arcx.audit.trust-proxy", defaultValue = "false") boolean trustProxy) {
        this.perMinute = perMinute;
        this.trustProxy = trustProxy;
    }

    public int perMinute() {
        return perMinute;
    }

    /** 0 when {@code token} from {@code address} may be checked, else the seconds until the address may try again. */
    public long retryAfter(String address, String token, long nowMillis) {
        Window window = failures.get(address);
        if (window == null || window.minute != nowMillis / 60_000 || window.failed.get() < perMinute) {
            return 0;
        }
        Long lastGood = known.get(ApiTokens.hash(token));
        if (lastGood != null && nowMillis - lastGood < KNOWN_FOR_MILLIS) {
            return 0;
        }
        return Math.max(1, 60 - (nowMillis / 1000) % 60);
    }

    public void failed(String address, long nowMillis) {
        long minute = nowMillis / 60_000;
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(window -> window.minute != minute);
        }
        failures.compute(address, (k, current) -> current == null || current.minute != minute ? new Window(minute)
                : current).failed.incrementAndGet();
    }

    public void succeeded(String token, long nowMillis) {
        if (known.size() > PRUNE_ABOVE) {
            known.values().removeIf(at -> nowMillis - at >= KNOWN_FOR_MILLIS);
        }
        known.put(ApiTokens.hash(token), nowMillis);
    }

    /** The client's address: X-Forwarded-For's first hop behind a trusted proxy ({@code arcx.audit.trust-proxy}). */
    public String address(HttpServerRequest request) {
        if (trustProxy) {
            String forwardedFor = request.getHeader("X-Forwarded-For");
            String first = forwardedFor == null ? "" : forwardedFor.split(",", 2)[0].strip();
            if (!first.isEmpty()) {
                return first;
            }
        }
        var remote = request.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    private static final class Window {
        final long minute;
        final AtomicInteger failed = new AtomicInteger();

        Window(long minute) {
            this.minute = minute;
        }
    }
}
