package io.kook.zookeeper;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when no ZooKeeper ensemble is configured. Asks the {@code Environment}, not the bound
 * {@code ZookeeperProperties}, because those default to {@code localhost:2181} and cannot tell "unset" apart.
 */
final class EmbeddedCondition implements Condition {

    static final String CONNECT_STRING = "spring.cloud.zookeeper.connect-string";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return !context.getEnvironment().containsProperty(CONNECT_STRING);
    }
}
