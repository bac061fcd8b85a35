package dev.arcx.orchestrator.images;

/**
 * The image-builder finished a build of {@code image}: built, or failed with {@code error} (its log tail). Fired by
 * {@link ImageBuildWatcher} on a virtual thread, so observers may block; whoever waits for images (the workspaces)
 * observes it, and the images feature needs to know nothing of them.
 */
public record ImageBuildFinished(String image, boolean built, String error) {
    public static ImageBuildFinished built(String image) {
        return new ImageBuildFinished(image, true, null);
    }

    public static ImageBuildFinished failed(String image, String error) {
        return new ImageBuildFinished(image, false, error);
    }
}
