package io.kook.zookeeper;

import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * A ZooKeeper client configuration for TLS: the Netty socket (the only one that speaks TLS) with the key and
 * trust stores set on this client's own {@link ZKClientConfig}, never as system properties, so one JVM can hold a
 * TLS client next to a plain one (the agent, tests, the embedded server's own clients).
 */
public final class ZooKeeperTls {

    private ZooKeeperTls() {
    }

    /**
     * @param keyStore          client key store path, or null when ZooKeeper does not ask for a client certificate
     * @param trustStore        trust store path with the CA of ZooKeeper's certificate, or null for the JDK's
     * @param keyStoreType      PKCS12, JKS or PEM, or null to guess from the file name
     * @param trustStoreType    likewise
     */
    public static ZKClientConfig clientConfig(String keyStore, String keyStorePassword, String keyStoreType,
                                              String trustStore, String trustStorePassword, String trustStoreType) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        try (ClientX509Util x509 = new ClientX509Util()) {
            setIfPresent(config, x509.getSslKeystoreLocationProperty(), keyStore);
            setIfPresent(config, x509.getSslKeystorePasswdProperty(), keyStorePassword);
            setIfPresent(config, x509.getSslKeystoreTypeProperty(), keyStoreType);
            setIfPresent(config, x509.getSslTruststoreLocationProperty(), trustStore);
            setIfPresent(config, x509.getSslTruststorePasswdProperty(), trustStorePassword);
            setIfPresent(config, x509.getSslTruststoreTypeProperty(), trustStoreType);
        }
        return config;
    }

    private static void setIfPresent(ZKClientConfig config, String key, String value) {
        if (value != null && !value.isBlank()) {
            config.setProperty(key, value);
        }
    }
}
