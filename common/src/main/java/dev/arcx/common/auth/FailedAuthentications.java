package dev.arcx.common.auth;

import dev.arcx.common.http.ClientAddress;
import dev.arcx.common.support.MinuteWindows;
import dev.arcx.common.tokens.ApiTokens;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Past this many known tokens, those not seen lately are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    /** Failures per address, counted with {@link MinuteWindows#admit} and checked with {@link MinuteWindows#full}. */
    private final MinuteWindows failures;
    /** SHA-256 of tokens that authenticated, with when they last did. */
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private final boolean trustProxy;

    FailedAuthentications(@ConfigProperty(name = "arcx.auth.failed-authentications-per-minute",
            defaultValue = "30") int perMinute,
            @ConfigProperty(name = "arcx.audit.trust-proxy", defaultValue = "false") boolean trustProxy) {
        this.failures = new MinuteWindows(perMinute);
        this.trustProxy = trustProxy;
    }

    public int perMinute() {
        return failures.perMinute();
    }

    /** 0 when {@code token} from {@code address} may be checked, else the seconds until the address may try again. */
    public long retryAfter(String address, String token, long nowMillis) {
        long retryAfter = failures.full(address, nowMillis);
        if (retryAfter == 0) {
            return 0;
        }
        Long lastGood = known.get(ApiTokens.hash(token));
        return lastGood != null && nowMillis - lastGood < KNOWN_FOR_MILLIS ? 0 : retryAfter;
    }

    public void failed(String address, long nowMillis) {
        failures.admit(address, nowMillis);
    }

    public void succeeded(String token, long nowMillis) {
        if (known.size() > PRUNE_ABOVE) {
            known.values().removeIf(at -> nowMillis - at >= KNOWN_FOR_MILLIS);
        }
        known.put(ApiTokens.hash(token), nowMillis);
    }

    /** The client's address by {@link ClientAddress}'s rule ({@code arcx.audit.trust-proxy}). */
    public String address(HttpServerRequest request) {
        String address = ClientAddress.of(request, trustProxy);
        return address == null ? "unknown" : address;
    }
}
