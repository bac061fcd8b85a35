package dev.arcx.common.images;

/**
 * The image-builder's answer to an ensure request: the image is {@code ready} (present and built from the current
 * recipes), {@code building} (join build {@code buildId}; its events follow on {@link ImageSubjects#events}), or the
 * request was {@code refused} (unknown flavor or add-on, incompatible selection) or hit an {@code error} of the
 * image-builder's own (worth a retry), with the reason in {@code error}.
 */
public record ImageEnsureReply(Status status, String image, String buildId, String error) {
    public enum Status {
        READY, BUILDING, REFUSED, ERROR;
    }

    public static ImageEnsureReply ready(String image) {
        return new ImageEnsureReply(Status.READY, image, null, null);
    }

    public static ImageEnsureReply building(String image, String buildId) {
        return new ImageEnsureReply(Status.BUILDING, image, buildId, null);
    }

    public static ImageEnsureReply refused(String error) {
        return new ImageEnsureReply(Status.REFUSED, null, null, error);
    }

    public static ImageEnsureReply error(String error) {
        return new ImageEnsureReply(Status.ERROR, null, null, error);
    }
}
