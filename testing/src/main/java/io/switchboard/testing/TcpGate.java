package io.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a local port to a real server, which a test can shut like the server going down: {@link #shut()}
 * drops every connection through it and refuses new ones, {@link #open()} lets them through again on the same port.
 * An outage of one service's dependency (Redis for ai-service) without stopping the server that other tests share.
 */
public final class TcpGate implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    private TcpGate(InetSocketAddress target) {
        this.target = target;
        this.server = bind(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    /** An open gate to host:port. */
    public static TcpGate to(String host, int port) {
        return new TcpGate(new InetSocketAddress(host, port));
    }

    public int port() {
        return port;
    }

    /** Drops the connections through the gate; connecting is refused until {@link #open()}. */
    public synchronized void shut() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        sockets.forEach(TcpGate::closeQuietly);
        sockets.clear();
    }

    /** Takes connections again, on the same port. */
    public synchronized void open() {
        if (server == null) {
            server = bind(port);
            accept(server);
        }
    }

    @Override
    public void close() {
        shut();
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            // the connections it dropped linger in TIME_WAIT on this port
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    private void accept(ServerSocket listening) {
        Thread.ofPlatform().daemon().name("tcp-gate-" + port).start(() -> {
            while (!listening.isClosed()) {
                Socket client;
                try {
                    client = listening.accept();
                } catch (IOException e) {
                    continue; // shut: the loop ends
                }
                Socket upstream = new Socket();
                sockets.add(client);
                sockets.add(upstream);
                try {
                    upstream.connect(target);
                } catch (IOException e) {
                    // the server itself is down: the client sees its connection closed
                    drop(client, upstream);
                    continue;
                }
                if (listening.isClosed()) {
                    // shut while this connection was being made
                    drop(client, upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            }
        });
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("tcp-gate-" + port + "-pipe").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: the other goes too
            } finally {
                drop(from, to);
            }
        });
    }

    private void drop(Socket one, Socket other) {
        closeQuietly(one);
        closeQuietly(other);
        sockets.remove(one);
        sockets.remove(other);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all that is wanted
        }
    }
}
