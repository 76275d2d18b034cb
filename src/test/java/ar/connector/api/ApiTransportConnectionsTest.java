package ar.connector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Which connection a call travels on. Writes that must not repeat share the pooled keep-alive
 * connections when they are POSTs (the JDK client never resends those by itself), but a GET with a
 * side effect (emitirFE) opens a connection of its own each time: on a reused connection found
 * closed, the JDK client would silently send it a second time.
 */
class ApiTransportConnectionsTest {

    private HttpServer server;
    /** The client's port of each request the server answered: one port per TCP connection. */
    private final List<Integer> ports = Collections.synchronizedList(new ArrayList<>());
    private ApiTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            ports.add(exchange.getRemoteAddress().getPort());
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        transport = new ApiTransport("test", http, new ApiMetrics(new SimpleMeterRegistry()), new ApiTransport.Policy() {
            @Override
            public Duration waitAfterTooManyRequests(HttpResponse<byte[]> response) {
                return Duration.ofSeconds(1);
            }

            @Override
            public String errorMessage(byte[] body) {
                return new String(body);
            }
        }, 1, Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void call(String method, boolean idempotent) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/x");
        byte[] payload = "GET".equals(method) ? null : "{}".getBytes();
        HttpResponse<byte[]> answer = transport.send(new ApiTransport.Call("x",
                () -> ApiTransport.jsonRequest(uri, Duration.ofSeconds(5), "Bearer t", method, payload),
                RateLimiter.UNLIMITED, idempotent));
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void postsThatMustNotRepeatShareOneKeptAliveConnection() {
        for (int i = 0; i < 4; i++) {
            call("POST", false);
        }
        assertThat(ports).hasSize(4);
        assertThat(ports.stream().distinct()).as("one connection for four sequential POSTs").hasSize(1);
    }

    @Test
    void aGetThatMustNotRepeatNeverTravelsOnAReusedConnection() {
        call("GET", true); // leaves a kept-alive connection in the pool
        for (int i = 0; i < 3; i++) {
            call("GET", false);
        }
        assertThat(ports).hasSize(4);
        assertThat(ports.stream().distinct()).as("each side-effecting GET on a connection of its own").hasSize(4);
    }

    @Test
    void theJdkResendsOnlyGetAndHeadOnAStaleConnection() {
        URI uri = URI.create("http://127.0.0.1:1/");
        assertThat(ApiTransport.resentOnStaleConnection(ApiTransport.jsonRequest(uri, Duration.ofSeconds(1), "a", "GET",
                null))).isTrue();
        assertThat(ApiTransport.resentOnStaleConnection(ApiTransport.jsonRequest(uri, Duration.ofSeconds(1), "a", "POST",
                new byte[0]))).isFalse();
        assertThat(ApiTransport.resentOnStaleConnection(ApiTransport.jsonRequest(uri, Duration.ofSeconds(1), "a", "PUT",
                new byte[0]))).isFalse();
    }
}
