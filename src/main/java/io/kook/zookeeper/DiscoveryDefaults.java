package io.kook.zookeeper;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Service registration defaults: with an external ensemble each replica registers itself as service
 * {@code kook} (Spring Cloud Zookeeper discovery, under {@code /services}) so other services can find it; with
 * the embedded server there is nobody to find it, so registration stays off unless
 * {@code spring.cloud.zookeeper.discovery.enabled} says otherwise.
 */
class DiscoveryDefaults implements EnvironmentPostProcessor {

    static final String ENABLED = "spring.cloud.zookeeper.discovery.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty(EmbeddedCondition.CONNECT_STRING) && !environment.containsProperty(ENABLED)) {
            environment.getPropertySources().addLast(new MapPropertySource("kookEmbeddedDiscoveryDefaults",
                    Map.of(ENABLED, "false")));
        }
    }
}
