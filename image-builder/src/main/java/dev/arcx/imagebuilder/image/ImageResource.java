package dev.arcx.imagebuilder.image;

import dev.arcx.common.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.ResponseStatus;

/** The images on this engine built by arcx: listing for everyone signed in, removal for the administrator. */
@Path("/api/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
    private final ImageService images;

    ImageResource(ImageService images) {
        this.images = images;
    }

    @GET
    @RolesAllowed({Roles.USER, Roles.ADMIN})
    public Uni<List<ImageService.ImageView>> list() {
        return images.list();
    }

    /** {@code image} is the full reference, {@code arcx-js-code:0.1.0}. */
    @DELETE
    @Path("/{image}")
    @RolesAllowed(Roles.ADMIN)
    @ResponseStatus(204)
    public Uni<Void> remove(@PathParam("image") String image) {
        return images.remove(image);
    }
}
