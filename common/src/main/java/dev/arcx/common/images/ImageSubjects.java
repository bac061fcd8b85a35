package dev.arcx.common.images;

/** The NATS subjects of the image-builder, shared by it and its callers. */
public final class ImageSubjects {
    /** Request/reply: an {@link ImageSelection} in, an {@link ImageEnsureReply} out. */
    public static final String ENSURE = "arcx.images.ensure";
    /** Every build event of every image. */
    public static final String ALL_EVENTS = "arcx.image.>";

    private ImageSubjects() {
    }

    /**
     * {@code arcx.image.<repository>.<kind>}: the repository is the image reference without its tag, since the tag
     * ({@code 0.1.0}) holds dots, which separate subject tokens.
     */
    public static String event(String image, ImageBuildEvent.Kind kind) {
        return "arcx.image." + repository(image) + "." + kind.token();
    }

    /** Every event of one image's builds. */
    public static String events(String image) {
        return "arcx.image." + repository(image) + ".*";
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
