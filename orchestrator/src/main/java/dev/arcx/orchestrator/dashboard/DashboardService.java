package dev.arcx.orchestrator.dashboard;

import dev.arcx.common.http.ApiException;
import dev.arcx.orchestrator.catalog.CatalogService;
import dev.arcx.orchestrator.config.OrchestratorConfig;
import dev.arcx.orchestrator.login.GitHubTenant;
import dev.arcx.orchestrator.routing.EdgeRoutes;
import dev.arcx.orchestrator.workspace.WorkspaceService;
import dev.arcx.orchestrator.workspace.WorkspaceView;
import dev.arcx.orchestrator.web.Pages;
import dev.arcx.orchestrator.web.Viewer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The dashboard's pages: what each shows, from the workspace and catalog services, rendered with Qute. */
@ApplicationScoped
public class DashboardService {
    private final WorkspaceService workspaces;
    private final CatalogService catalog;
    private final EdgeRoutes edge;
    private final GitHubTenant github;
    private final Pages pages;
    private final Template landing;
    private final Template list;
    private final Template create;
    private final Template workspace;
    private final Template waitlist;
    private final boolean inviteMode;

    DashboardService(WorkspaceService workspaces, CatalogService catalog, EdgeRoutes edge, GitHubTenant github,
            Pages pages, @Location("dashboard/landing.html") Template landing,
            @Location("dashboard/workspaces.html") Template list, @Location("dashboard/create.html") Template create,
            @Location("dashboard/workspace.html") Template workspace,
            @Location("dashboard/waitlist.html") Template waitlist, OrchestratorConfig config) {
        this.workspaces = workspaces;
        this.catalog = catalog;
        this.edge = edge;
        this.github = github;
        this.pages = pages;
        this.landing = landing;
        this.list = list;
        this.create = create;
        this.workspace = workspace;
        this.waitlist = waitlist;
        this.inviteMode = config.auth().signupMode() == OrchestratorConfig.SignupMode.INVITE;
    }

    /**
     * Signed out: what arcx is and the ways to sign in.
     *
     * @param invite an invite code the visitor's link carried (null: none), taken along by the GitHub sign-in
     */
    public String landing(String invite) {
        return page(landing, null, "arcx").data("githubLogin", github.enabled()).data("invite", invite)
                .data("inviteMode", inviteMode).render();
    }

    /** Where sign-in sends someone new without a way in (invite mode). */
    public String waitlisted() {
        return page(waitlist, null, "Waitlist").render();
    }

    public Uni<String> workspaces(Viewer viewer) {
        return workspaces.list(viewer.id()).map(views -> page(list, viewer, "Workspaces")
                .data("workspaces", views.stream().map(w -> row(w, viewer)).toList()).render());
    }

    public Uni<String> createForm(Viewer viewer) {
        return catalog.snapshot().map(snapshot -> page(create, viewer, "New workspace")
                .data("catalog", CatalogChoices.of(snapshot)).render());
    }

    /** The workspace's page; 404 when the viewer may not use it or it does not exist (a malformed id too). */
    public Uni<String> workspace(Viewer viewer, String id) {
        UUID workspaceId;
        try {
            workspaceId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiException.notFound("no workspace '" + id + "'"));
        }
        return workspaces.get(viewer.id(), workspaceId).map(w -> page(workspace, viewer, w.name())
                .data("w", row(w, viewer)).render());
    }

    private TemplateInstance page(Template template, Viewer viewer, String title) {
        return pages.page(template, viewer, title, "workspaces");
    }

    private WorkspaceRow row(WorkspaceView w, Viewer viewer) {
        // A team workspace's addresses are made of its owner's login, whoever is looking at it.
        String login = w.ownerLogin() != null ? w.ownerLogin() : viewer.login();
        String ide = edge.enabled() ? "https://" + edge.ideHost(w.name(), login) + "/" : EdgeRoutes.idePath(w.name(), login);
        return WorkspaceRow.of(w, ide);
    }
}
