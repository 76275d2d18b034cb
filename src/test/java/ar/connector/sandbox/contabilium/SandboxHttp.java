package ar.connector.sandbox.contabilium;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A bare java.net.http client for the sandbox's own tests: no retries, no token caching beyond one field. */
final class SandboxHttp {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final URI base;
    String token;
    Duration readTimeout = Duration.ofSeconds(5);

    SandboxHttp(URI base) {
        this.base = base;
    }

    HttpResponse<String> token(String email, String key) {
        String form = "grant_type=client_credentials&client_id=" + enc(email) + "&client_secret=" + enc(key);
        return send(HttpRequest.newBuilder(base.resolve("/token")).timeout(readTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    SandboxHttp login(String email, String key) {
        HttpResponse<String> r = token(email, key);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token: " + r.statusCode() + " " + r.body());
        }
        token = json(r).get("access_token").asText();
        return this;
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(builder(pathAndQuery).GET().build());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
        return http.sendAsync(builder(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) {
        try {
            return http.send(builder(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    HttpResponse<String> post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> put(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> delete(String path) {
        return send(builder(path).DELETE().build());
    }

    private HttpRequest.Builder builder(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(readTimeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Throws {@link java.net.http.HttpTimeoutException} (wrapped) when the read timeout passes. */
    HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SandboxIo(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new RuntimeException(r.body(), e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static final class SandboxIo extends RuntimeException {
        SandboxIo(IOException cause) {
            super(cause);
        }
    }
}
