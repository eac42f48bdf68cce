package io.kook.zookeeper;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server inside the Kook process, so that {@code ./mvnw spring-boot:run} needs
 * nothing else installed. Data lives on disk and survives restarts. It listens on loopback only: an
 * embedded server is for one replica on one machine; real deployments point at an ensemble.
 */
public final class EmbeddedZooKeeper implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
    private static final int TICK_MS = 2000;

    private final int port;
    private final Path dataDir;
    private FileTxnSnapLog txnLog;
    private ZooKeeperServer server;
    private ServerCnxnFactory connections;

    public EmbeddedZooKeeper(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    public synchronized void start() throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        File dir = dataDir.toFile();
        txnLog = new FileTxnSnapLog(dir, dir);
        server = new ZooKeeperServer(txnLog, TICK_MS, "");
        connections = ServerCnxnFactory.createFactory(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        connections.startup(server);
        log.info("op=zookeeper.embedded.start port={} dataDir={}", connections.getLocalPort(), dataDir.toAbsolutePath());
    }

    /**
     * Whether the server still serves. ZooKeeper stops itself after a "severe unrecoverable error" (out of memory
     * applying a transaction, a failed log write) and nothing would ever answer again: liveness must say so.
     */
    public synchronized boolean running() {
        return server != null && server.isRunning();
    }

    /** Where the server keeps its snapshots and transaction log. */
    public Path dataDir() {
        return dataDir;
    }

    /** {@code host:port} for clients; the port is the bound one, so port 0 picks a free port. */
    public String connectString() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + connections.getLocalPort();
    }

    @Override
    public synchronized void close() {
        if (connections != null) {
            connections.shutdown();
        }
        if (server != null) {
            server.shutdown();
        }
        try {
            if (txnLog != null) {
                txnLog.close();
            }
        } catch (IOException e) {
            log.warn("op=zookeeper.embedded.stop outcome=failed reason=\"{}\"", e.toString());
        }
    }
}
