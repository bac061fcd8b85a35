package dev.arcx.imagebuilder.build;

import dev.arcx.common.auth.Roles;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.images.ImageEnsureReply;
import dev.arcx.common.images.ImageSelection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.UUID;

/**
 * On-demand builds: ensure an image (200 when it is ready, 202 with the build that makes it) and follow a build's
 * progress, for users and the administrator alike (a build serves whoever asks next, and its id is learnt from an
 * ensure). The list of every build and the build logs, which tell what everyone builds and how, are the
 * administrator's.
 */
@Path("/api/images/builds")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class BuildResource {
    private final BuildService builds;

    BuildResource(BuildService builds) {
        this.builds = builds;
    }

    /** What {@code POST} answers: the ensure reply, with the build when one runs. */
    public record EnsureView(String status, String image, String buildId, Build.BuildView build) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> ensure(ImageSelection selection) {
        if (selection == null) {
            throw ApiException.badRequest("a JSON body with 'flavor' (and optionally 'addons') is required");
        }
        return builds.ensure(selection).map(ensured -> {
            ImageEnsureReply reply = ensured.reply();
            EnsureView view = new EnsureView(reply.status().name().toLowerCase(), reply.image(), reply.buildId(),
                    ensured.build() == null ? null : ensured.build().view());
            return Response.status(ensured.build() == null ? 200 : 202).entity(view).build();
        });
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    public List<Build.BuildView> list() {
        return builds.builds().stream().map(Build::view).toList();
    }

    @GET
    @Path("/{id}")
    public Build.BuildView get(@PathParam("id") UUID id) {
        return find(id).view();
    }

    /**
     * The build's log as server-sent events: the kept lines at once, then each new one ({@code log}), then one
     * {@code end} event with the build; a finished build's log is replayed and ended.
     */
    @GET
    @Path("/{id}/log")
    @RolesAllowed(Roles.ADMIN)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> log(@PathParam("id") UUID id, @Context Sse sse) {
        Build build = find(id);
        return Multi.createFrom().emitter(emitter -> {
            Runnable stop = build.follow(new Build.Follower() {
                @Override
                public void line(String line) {
                    emitter.emit(sse.newEventBuilder().name("log").data(line).build());
                }

                @Override
                public void finished(Build done) {
                    emitter.emit(sse.newEventBuilder().name("end").mediaType(MediaType.APPLICATION_JSON_TYPE)
                            .data(Build.BuildView.class, done.view()).build());
                    emitter.complete();
                }
            });
            emitter.onTermination(stop);
        });
    }

    private Build find(UUID id) {
        return builds.build(id).orElseThrow(() -> ApiException.notFound("no build " + id));
    }
}
