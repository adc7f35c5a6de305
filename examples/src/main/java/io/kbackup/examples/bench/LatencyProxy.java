package io.kbackup.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk of bytes by a fixed one-way delay in each direction, without
 * limiting throughput: a network round trip of {@code 2 x delay} per request, as between a client and an API server
 * that is not on the same machine (or whose writes wait for etcd). Order of bytes is kept; concurrent requests
 * (HTTP/2 streams or several connections) are delayed independently, as on a real network.
 */
public final class LatencyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final long delayNanos;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Starts the proxy.
     *
     * @param upstreamHost   where to forward, e.g. 127.0.0.1
     * @param upstreamPort   its port
     * @param oneWayDelayMs  the delay added to each direction, in milliseconds
     */
    public LatencyProxy(String upstreamHost, int upstreamPort, double oneWayDelayMs) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.delayNanos = (long) (oneWayDelayMs * 1_000_000);
        Thread acceptor = new Thread(this::accept, "latency-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The proxy's URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                upstream.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client.getInputStream(), upstream.getOutputStream(), "up");
                pump(upstream.getInputStream(), client.getOutputStream(), "down");
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("latency proxy: " + e.getMessage());
                }
            }
        }
    }

    private record Chunk(long due, byte[] bytes) {}

    private static final Chunk EOF = new Chunk(0, null);

    private void pump(InputStream in, OutputStream out, String direction) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // connection closed
            }
            queue.add(EOF);
        }, "latency-proxy-" + direction + "-read");
        Thread writer = new Thread(() -> {
            try {
                while (true) {
                    Chunk c = queue.take();
                    if (c == EOF) {
                        out.close();
                        return;
                    }
                    long wait = c.due() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection closed
            }
        }, "latency-proxy-" + direction + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }
}
