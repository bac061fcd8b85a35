package dev.arcx.imagebuilder.image;

import com.github.dockerjava.api.model.Image;
import dev.arcx.common.http.ApiException;
import dev.arcx.common.support.Blocking;
import dev.arcx.imagebuilder.build.BuildService;
import dev.arcx.imagebuilder.build.ImageEngine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The images built here: what they are, and removing those nothing uses. */
@ApplicationScoped
public class ImageService {
    private final ImageEngine engine;
    private final BuildService builds;
    private final Blocking blocking;

    ImageService(ImageEngine engine, BuildService builds, Blocking blocking) {
        this.engine = engine;
        this.builds = builds;
        this.blocking = blocking;
    }

    /** An image as the API shows it. */
    public record ImageView(String image, String layer, String kind, String recipeHash, long sizeBytes,
            Instant createdAt, long ageSeconds) {
    }

    public Uni<List<ImageView>> list() {
        return blocking.call(() -> {
            List<ImageView> views = new ArrayList<>();
            Instant now = Instant.now();
            for (Image image : engine.list()) {
                Map<String, String> labels = image.getLabels() == null ? Map.of() : image.getLabels();
                Instant created = Instant.ofEpochSecond(image.getCreated());
                for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                    if (tag.equals("<none>:<none>")) {
                        continue;
                    }
                    views.add(new ImageView(tag, labels.get(ImageEngine.LABEL_LAYER),
                            labels.get(ImageEngine.LABEL_KIND), labels.get(ImageEngine.LABEL_HASH), image.getSize(),
                            created, now.getEpochSecond() - created.getEpochSecond()));
                }
            }
            views.sort((a, b) -> a.image().compareTo(b.image()));
            return views;
        });
    }

    /** Removes {@code image} unless a container uses it or a build needs it (409), or it is not ours (404). */
    public Uni<Void> remove(String image) {
        return blocking.call(() -> {
            var found = engine.inspect(image).filter(i -> i.getConfig() != null && i.getConfig().getLabels() != null
                    && i.getConfig().getLabels().containsKey(ImageEngine.LABEL_KIND)
                    && i.getRepoTags() != null && i.getRepoTags().contains(image));
            if (found.isEmpty()) {
                throw ApiException.notFound("no image " + image + " built by arcx");
            }
            if (builds.building(image)) {
                throw ApiException.conflict(image + " is being built or used by a build; try again when it is done");
            }
            List<String> users = engine.containersUsing(image);
            if (!users.isEmpty()) {
                throw ApiException.conflict(image + " is used by " + users.size() + " container(s): " + users);
            }
            engine.remove(image);
            return null;
        });
    }
}
