package io.kook.zookeeper;

import java.nio.charset.StandardCharsets;

import io.kook.KookProperties;
import io.kook.store.ZkAcls;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.springframework.cloud.zookeeper.CuratorFrameworkCustomizer;

/**
 * Tunes the Curator client Spring Cloud Zookeeper builds: digest authentication and Kook's ACLs on every node it
 * creates ({@link ZkAcls}) when {@code kook.zookeeper.auth.*} names credentials, and TLS when
 * {@code kook.zookeeper.tls.enabled}. Without either, the client is left as Spring Cloud Zookeeper made it.
 */
final class ZooKeeperSecurity implements CuratorFrameworkCustomizer {

    private final KookProperties.Zookeeper settings;
    private final ZkAcls acls;

    ZooKeeperSecurity(KookProperties.Zookeeper settings, ZkAcls acls) {
        this.settings = settings;
        this.acls = acls;
    }

    @Override
    public void customize(CuratorFrameworkFactory.Builder builder) {
        KookProperties.Auth auth = settings.auth();
        if (auth.enabled()) {
            builder.authorization("digest", (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8))
                    .aclProvider(acls);
        }
        KookProperties.Tls tls = settings.tls();
        if (tls.enabled()) {
            builder.zkClientConfig(ZooKeeperTls.clientConfig(tls.keyStoreLocation(), tls.keyStorePassword(),
                    tls.keyStoreType(), tls.trustStoreLocation(), tls.trustStorePassword(), tls.trustStoreType()));
        }
    }
}
