package dev.arcx.orchestrator.fuzz;

import dev.arcx.common.testkit.FuzzRun.Caller;
import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fuzz suite's callers of the orchestrator: nobody, a user on the pro plan and an administrator (a user with the
 * admin role, by their own token). A fresh user takes over every few hundred requests, so the per-token request
 * limit does not turn the run into a run of 429s.
 */
final class OrchestratorCallers {
    private static final int REQUESTS_PER_USER = 300;
    private final List<TestUser> made = new ArrayList<>();

    List<Caller> all() {
        return List.of(new Anonymous(), new Rotating("user", false), new Rotating("admin", true));
    }

    /** Every user the run made, for the test to clean up after. */
    List<TestUser> made() {
        return made;
    }

    private static final class Anonymous implements Caller {
        @Override
        public String name() {
            return "anonymous";
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }

    private final class Rotating implements Caller {
        private final String name;
        private final boolean admin;
        private TestUser current;
        private int used;

        Rotating(String name, boolean admin) {
            this.name = name;
            this.admin = admin;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, String> headers() {
            if (current == null || ++used > REQUESTS_PER_USER) {
                current = Api.newUser("pro");
                if (admin) {
                    Api.admin().body(Map.of("admin", true)).patch("/api/admin/users/" + current.id()).then()
                            .statusCode(200);
                }
                made.add(current);
                used = 1;
            }
            return Map.of("Authorization", "Bearer " + current.token());
        }
    }
}
