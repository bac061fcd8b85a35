package dev.arcx.orchestrator.fuzz;

import dev.arcx.orchestrator.testsupport.Api;
import dev.arcx.orchestrator.testsupport.Api.TestUser;
import dev.arcx.testkit.fuzz.FuzzRun.Caller;
import dev.arcx.testkit.fuzz.OpenApiOperations.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fuzz suite's callers of the orchestrator: nobody, the owner of the {@link RealObjects} (a user on the pro plan)
 * and an administrator (a user with the admin role, by their own token). Both signed-in callers name the real objects
 * in a share of their requests: the owner's own, and for the administrator another user's (and the member's account in
 * the admin operations). A fresh token (for the administrator a fresh user) takes over every few hundred requests, so
 * the per-token request limit does not turn the run into a run of 429s.
 */
final class OrchestratorCallers {
    private static final int REQUESTS_PER_TOKEN = 300;
    private final List<TestUser> made = new ArrayList<>();
    private final RealObjects objects;

    OrchestratorCallers(RealObjects objects) {
        this.objects = objects;
    }

    List<Caller> all() {
        return List.of(new Anonymous(), new Owner(), new Administrator());
    }

    /** Every administrator the run made, for the test to clean up after. */
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

    /** Acts on the real objects as the one who may: what succeeds there is put back. */
    private abstract class OnRealObjects implements Caller {
        @Override
        public Map<String, String> realIds(Operation operation) {
            return objects.idsFor(operation);
        }

        @Override
        public void restore(Operation operation) {
            objects.restore(operation);
        }
    }

    private final class Owner extends OnRealObjects {
        private String token;
        private int used;

        @Override
        public String name() {
            return "user";
        }

        @Override
        public Map<String, String> headers() {
            if (token == null || ++used > REQUESTS_PER_TOKEN) {
                token = Api.admin().post("/api/admin/users/" + objects.owner.id() + "/tokens").then().statusCode(201)
                        .extract().path("token");
                used = 1;
            }
            return Map.of("Authorization", "Bearer " + token);
        }
    }

    private final class Administrator extends OnRealObjects {
        private TestUser current;
        private int used;

        @Override
        public String name() {
            return "admin";
        }

        @Override
        public Map<String, String> headers() {
            if (current == null || ++used > REQUESTS_PER_TOKEN) {
                current = Api.newUser("pro");
                Api.admin().body(Map.of("admin", true)).patch("/api/admin/users/" + current.id()).then()
                        .statusCode(200);
                made.add(current);
                used = 1;
            }
            return Map.of("Authorization", "Bearer " + current.token());
        }
    }
}
