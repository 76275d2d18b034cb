package ar.connector.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/** The HTTP server a sandbox answers on: the JDK's, on the loopback address. */
public final class SandboxServer {

    private SandboxServer() {
    }

    /**
     * A server that sends without Nagle's delay, as a real API's front end does. The JDK server writes
     * an answer's headers and body separately; without TCP_NODELAY the second write waits for the
     * client's delayed ACK (~40 ms) on a kept-alive connection, so each call the connector sends on a
     * pooled connection would look 40 ms slow. (The property is read once, when the JDK server's
     * configuration class loads: the test JVMs also set it on their command line.)
     */
    public static HttpServer create(int port, int backlog) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
