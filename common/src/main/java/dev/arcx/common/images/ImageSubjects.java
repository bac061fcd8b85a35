package dev.arcx.common.images;

import dev.arcx.common.events.Subjects;

/**
 * The NATS subjects of the image-builder, shared by it and its callers; one installation's, like every name in
 * {@link Subjects} (which hands them out: {@link Subjects#images()}).
 */
public final class ImageSubjects {
    private final String installation;

    /** Of a name {@link Subjects#checked} accepted. */
    public ImageSubjects(String installation) {
        this.installation = Subjects.checked(installation);
    }

    /** Request/reply: an {@link ImageSelection} in, an {@link ImageEnsureReply} out. */
    public String ensure() {
        return installation + ".images.ensure";
    }

    /** The queue group of the installation's image-builders: each ensure request is answered once. */
    public String ensureQueue() {
        return installation + "-image-builder";
    }

    /** Every build event of every image. */
    public String allEvents() {
        return installation + ".image.>";
    }

    /**
     * {@code <installation>.image.<repository>.<kind>}: the repository is the image reference without its tag, since
     * the tag ({@code 0.1.0}) holds dots, which separate subject tokens.
     */
    public String event(String image, ImageBuildEvent.Kind kind) {
        return installation + ".image." + repository(image) + "." + kind.token();
    }

    /** Every event of one image's builds. */
    public String events(String image) {
        return installation + ".image." + repository(image) + ".*";
    }

    static String repository(String image) {
        int colon = image.lastIndexOf(':');
        String repository = colon < 0 ? image : image.substring(0, colon);
        if (repository.isEmpty() || !repository.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("not an arcx image repository: '" + image + "'");
        }
        return repository;
    }
}
