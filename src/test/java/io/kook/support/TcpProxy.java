package io.kook.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between one client (a replica's ZooKeeper connection) and its servers, which a test can cut
 * (every connection closed, new ones refused), delay (each chunk from the server held for a while: a lagging
 * replica) and hold answers (requests applied, answers lost: a server that dies right after a commit).
 * Real sockets, real ZooKeeper protocol: nothing is interpreted.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> targets;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean answersHeld;
    private volatile byte[] holdMarker;
    private volatile long delayNanos;
    private volatile boolean closed;
    private int next;

    /** @param connectString the servers to forward to, {@code host:port[,host:port...]}, tried in turn */
    public TcpProxy(String connectString) throws IOException {
        this.targets = List.of(connectString.split(","));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String connectString() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /**
     * From the first request whose bytes contain {@code marker} on, lets requests through but holds every answer
     * and event back: that request is applied and its answer lost, as when a server dies right after a commit.
     */
    public void holdAnswersAfter(String marker) {
        holdMarker = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Holds each chunk from the servers for {@code delay} before passing it on (zero: none). */
    public void delay(Duration delay) {
        delayNanos = delay.toNanos();
    }

    public void restore() {
        cut = false;
        answersHeld = false;
        holdMarker = null;
        delayNanos = 0;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = connectUpstream();
                if (upstream == null) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private synchronized Socket connectUpstream() {
        for (int i = 0; i < targets.size(); i++) {
            String[] hostPort = targets.get(next++ % targets.size()).split(":");
            try {
                Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                // try the next server
            }
        }
        return null;
    }

    private record Chunk(long deliverAt, byte[] bytes) {
    }

    /**
     * Copies one direction. Bytes from the servers are queued with the time they may be delivered, so a delay is
     * latency (every chunk arrives {@code delay} late), not a cap on throughput.
     */
    private void pump(Socket from, Socket to, boolean fromServer) {
        java.util.concurrent.BlockingQueue<Chunk> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        Chunk end = new Chunk(0, new byte[0]);
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    byte[] marker = holdMarker;
                    if (!fromServer && marker != null && contains(buffer, n, marker)) {
                        answersHeld = true;
                    }
                    long delay = fromServer ? delayNanos : 0;
                    queue.add(new Chunk(System.nanoTime() + delay, java.util.Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // connection closed or cut
            } finally {
                queue.add(end);
            }
        }, "tcp-proxy-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == end) {
                        break;
                    }
                    long wait = chunk.deliverAt() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    while (fromServer && answersHeld && !cut && !closed) {
                        Thread.sleep(10);
                    }
                    if (cut || closed) {
                        break;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection closed or cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
