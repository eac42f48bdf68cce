package io.kook.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;

/**
 * A real standalone ZooKeeper server that speaks TLS only (a Netty secure port, no plain one), for tests of TLS
 * clients. ZooKeeper's server reads its key and trust stores from {@code zookeeper.ssl.*} system properties only,
 * so they are set while the server runs and put back as they were on {@link #close()}; clients in the same JVM are
 * not affected unless they ask for TLS themselves.
 */
public final class TlsZooKeeper implements AutoCloseable {

    private static final String X509_PROVIDER_KEY = ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX + "x509";

    private final Map<String, String> previous = new LinkedHashMap<>();
    private final FileTxnSnapLog txnLog;
    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;

    public TlsZooKeeper(Path dataDir, Path keyStore, Path trustStore, String password) throws Exception {
        try (ClientX509Util x509 = new ClientX509Util()) {
            set(x509.getSslKeystoreLocationProperty(), keyStore.toString());
            set(x509.getSslKeystorePasswdProperty(), password);
            set(x509.getSslTruststoreLocationProperty(), trustStore.toString());
            set(x509.getSslTruststorePasswdProperty(), password);
        }
        // the secure port authenticates clients by their certificate, through the "x509" provider (its constructor
        // reads the stores set above); a standalone server outside QuorumPeerMain must register it itself
        set(X509_PROVIDER_KEY, "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        ProviderRegistry.addOrUpdateProvider(X509_PROVIDER_KEY);
        File dir = dataDir.toFile();
        dir.mkdirs();
        txnLog = new FileTxnSnapLog(dir, dir);
        server = new ZooKeeperServer(txnLog, 2000, "");
        connections = nettyFactory();
        connections.configure(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100, -1, true);
        connections.startup(server);
    }

    /** Only the Netty factory speaks TLS; {@code createFactory} picks it by a system property, put back at once. */
    private static ServerCnxnFactory nettyFactory() throws IOException {
        String before = System.getProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY);
        System.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, "org.apache.zookeeper.server.NettyServerCnxnFactory");
        try {
            return ServerCnxnFactory.createFactory();
        } finally {
            if (before == null) {
                System.clearProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY);
            } else {
                System.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, before);
            }
        }
    }

    private void set(String key, String value) {
        previous.put(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    public String connectString() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + connections.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        connections.shutdown();
        server.shutdown();
        txnLog.close();
        ProviderRegistry.removeProvider("x509");
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
