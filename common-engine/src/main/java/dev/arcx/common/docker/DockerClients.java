package dev.arcx.common.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;

/** How every service talks to the Docker engine: one client with a pinned API version. */
public final class DockerClients {
    private DockerClients() {
    }

    public static DockerClient create(DockerSettings settings) {
        return create(settings.host(), settings.apiVersion(), settings.timeout());
    }

    /**
     * @param host the engine address ({@code unix:///var/run/docker.sock}, {@code DOCKER_HOST})
     * @param apiVersion pinned, so behaviour does not change when the engine is upgraded underneath
     * @param timeout connect and response timeout of one call
     */
    public static DockerClient create(String host, String apiVersion, Duration timeout) {
        DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withApiVersion(apiVersion)
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .sslConfig(clientConfig.getSSLConfig())
                .connectionTimeout(timeout)
                .responseTimeout(timeout)
                .maxConnections(64)
                .build();
        return DockerClientImpl.getInstance(clientConfig, http);
    }
}
