package io.kook.zookeeper;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.unit.DataSize;

/**
 * Raises the ZooKeeper client's largest accepted packet ({@code jute.maxbuffer}, 1 MB by default) before any
 * client is built: listing the hosts of a 100,000-host inventory is a 3.5 MB answer, which the default turns
 * into an endless reconnect loop. Only what the client accepts changes; Kook still keeps every request it
 * sends under 1 MB, so ensembles need no setting of their own. An explicit {@code -Djute.maxbuffer} wins.
 */
class ZooKeeperClientDefaults implements EnvironmentPostProcessor {

    static final String PROPERTY = "kook.zookeeper.client-max-packet";
    static final String JUTE_MAXBUFFER = "jute.maxbuffer";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getProperty(JUTE_MAXBUFFER) == null) {
            DataSize size = DataSize.parse(environment.getProperty(PROPERTY, "128MB"));
            System.setProperty(JUTE_MAXBUFFER, Long.toString(Math.min(Integer.MAX_VALUE, size.toBytes())));
        }
    }
}
