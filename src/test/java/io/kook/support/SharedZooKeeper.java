package io.kook.support;

import org.apache.curator.test.TestingServer;

/**
 * One real ZooKeeper server for every test in the JVM that does not stop or kill it. It is never closed
 * while Spring contexts may still use it; the JVM's exit ends it. Tests keep apart by using their own root.
 */
public final class SharedZooKeeper {

    private static TestingServer server;

    private SharedZooKeeper() {
    }

    public static synchronized String connectString() {
        if (server == null) {
            try {
                server = new TestingServer(true);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the shared TestingServer", e);
            }
        }
        return server.getConnectString();
    }

    public static String uniqueRoot(String prefix) {
        return "/" + prefix + "-" + java.util.UUID.randomUUID();
    }
}
