package io.switchboard.notifier;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import io.switchboard.notifier.api.SocketAccess;
import io.switchboard.notifier.domain.Frame;

/**
 * A WebSocket client written against the wire protocol (RFC 6455) that does only what a test tells it: it can stop
 * reading, never answer a ping, send while not reading, or read the close frame the server sent. The JDK client reads
 * and pongs by itself.
 */
final class RawSocket implements AutoCloseable {
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    static final int CLOSE = 8;
    static final int PING = 9;
    private final Socket socket;
    private final DataInputStream in;

    /** Opens a socket whose receive buffer is small, so that a server writing to it fills it quickly. */
    RawSocket(int port, String pathAndQuery, String token) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        String key = Base64.getEncoder().encodeToString("switchboard-test".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + SocketAccess.SUBPROTOCOL + ", " + token + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        in = new DataInputStream(socket.getInputStream());
        String status = readHeaders(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + status);
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during handshake");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
    }

    /** Sends a short text frame, masked as a client's must be. */
    synchronized void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("only short frames: " + payload.length + " bytes");
        }
        byte[] mask = { 0x1f, 0x2e, 0x3d, 0x4c };
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81; // FIN, text
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame);
    }

    /** Reads frames until the server closes, or for {@code timeoutMillis} at most. */
    List<Frame> readUntilClosed(int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        List<Frame> frames = new ArrayList<>();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return frames;
                }
                socket.setSoTimeout((int) left);
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                Frame frame = new Frame(first & 0x0f, payload);
                frames.add(frame);
                if (frame.opcode() == CLOSE) {
                    return frames;
                }
            }
        } catch (EOFException | SocketTimeoutException | java.net.SocketException e) {
            return frames;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Drops the connection as a phone losing its network does: a TCP reset, no close frame. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
