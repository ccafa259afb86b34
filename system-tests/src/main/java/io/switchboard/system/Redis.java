package io.switchboard.system;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Reads a key from the local Redis over RESP, to check what ai-service keeps there without going through it. */
public final class Redis {
    private Redis() {
    }

    /** {@code GET key}: the value, or null when the key does not exist. */
    public static String get(String key) {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            byte[] name = key.getBytes(StandardCharsets.UTF_8);
            String command = "*2\r\n$3\r\nGET\r\n$" + name.length + "\r\n" + key + "\r\n";
            socket.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String header = line(in);
            if (header.startsWith("-")) {
                throw new IllegalStateException("redis: " + header);
            }
            int length = Integer.parseInt(header.substring(1));
            if (length < 0) {
                return null;
            }
            byte[] value = in.readNBytes(length);
            return new String(value, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }
}
