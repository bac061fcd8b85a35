package dev.arcx.orchestrator.docker;

/** One sample of a container's usage; cpuPercent is relative to one CPU (200 = two CPUs busy). */
public record ContainerStats(double cpuPercent, long memoryBytes, long memoryLimitBytes) {
}
