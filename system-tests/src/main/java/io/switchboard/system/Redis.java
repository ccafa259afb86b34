package io.switchboard.system;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The local Redis over RESP: reads what ai-service keeps there without going through it, and shuts it down for a fault. */
public final class Redis {
    private Redis() {
    }

    /** {@code GET key}: the value, or null when the key does not exist. */
    public static String get(String key) {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            socket.getOutputStream().write(command("GET", key));
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

    /** {@code SHUTDOWN NOSAVE}: Redis exits without writing anything, and returns empty when started again. */
    public static void shutdownWithoutSaving() {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            socket.getOutputStream().write(command("SHUTDOWN", "NOSAVE"));
            socket.getInputStream().read(); // the server closes the connection as it exits
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command as a RESP array of bulk strings. */
    private static byte[] command(String... words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            resp.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
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
