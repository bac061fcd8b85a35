package dev.arcx.orchestrator.login;

import dev.arcx.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * The development sign-in lets anyone be anyone: the service refuses to start with it in the prod profile, which is
 * what a packaged orchestrator runs unless told otherwise ({@code ./arcx up} runs the {@code local} profile).
 */
@ApplicationScoped
public class DevLoginGuard {
    void check(@Observes StartupEvent started, OrchestratorConfig config) {
        refuseInProd(config.auth().devLogin(), ConfigUtils.getProfiles());
    }

    static void refuseInProd(boolean devLogin, List<String> profiles) {
        if (devLogin && profiles.contains("prod")) {
            throw new IllegalStateException("ARCX_DEV_LOGIN=true (arcx.auth.dev-login) lets anyone sign in as anyone "
                    + "and is refused in the prod profile; unset it, or run the local profile (./arcx up does)");
        }
    }
}
