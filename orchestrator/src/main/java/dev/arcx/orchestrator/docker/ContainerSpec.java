package dev.arcx.orchestrator.docker;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs to create one workspace container.
 *
 * @param name container name, deterministic so a re-driven creation finds what an interrupted one made
 * @param nanoCpus CPU limit in billionths of a CPU
 * @param memoryBytes hard memory limit; swap is set to the same so the limit cannot be dodged through swap
 * @param gpus whether the container asks the engine for every NVIDIA GPU (the gpu add-on)
 */
public record ContainerSpec(String name, String hostname, String image, Map<String, String> labels,
        Map<String, String> env, List<Integer> exposedPorts, long nanoCpus, long memoryBytes,
        long memoryReservationBytes, long pidsLimit, String user, String network, String volume, String homePath,
        String tmpSize, boolean gpus) {

    /** The same spec with another image. */
    public ContainerSpec withImage(String otherImage) {
        return new ContainerSpec(name, hostname, otherImage, labels, env, exposedPorts, nanoCpus, memoryBytes,
                memoryReservationBytes, pidsLimit, user, network, volume, homePath, tmpSize, gpus);
    }

    /** The same spec with other labels. */
    public ContainerSpec withLabels(Map<String, String> otherLabels) {
        return new ContainerSpec(name, hostname, image, otherLabels, env, exposedPorts, nanoCpus, memoryBytes,
                memoryReservationBytes, pidsLimit, user, network, volume, homePath, tmpSize, gpus);
    }
}
