package ar.connector.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;

/**
 * Refused anonymous calls cost nothing and say why: a 401 problem+json with the Basic challenge, and
 * no HTTP session (thousands of them once held hundreds of MiB of heap for half an hour).
 */
@ConnectorTest
class AnonymousRequestsTest {

    static final List<String> PROTECTED = List.of("/api/links", "/api/links/1/orders", "/actuator/prometheus",
            "/actuator/camelroutes", "/actuator/jolokia/version", "/actuator/hawtio/", "/no-such-page");

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext web;

    @Test
    void refusedAnonymousCallsAreProblemJsonWithTheBasicChallenge() {
        Http anonymous = Http.anonymous("http://127.0.0.1:" + port);
        for (String path : PROTECTED) {
            Http.Response answer = anonymous.get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            assertThat(answer.json().path("status").asInt()).isEqualTo(401);
            assertThat(answer.json().path("instance").asText()).isEqualTo(path);
            assertThat(answer.header("WWW-Authenticate")).as(path).startsWith("Basic realm=");
        }
        Http.Response wrong = Http.basic("http://127.0.0.1:" + port, "admin", "not-the-password").get("/api/links");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
    }

    @Test
    void manyAnonymousRequestsCreateNoSession() {
        Http anonymous = Http.anonymous("http://127.0.0.1:" + port);
        int before = sessions().getActiveSessions();
        for (int i = 0; i < 50; i++) {
            for (String path : PROTECTED) {
                Http.Response answer = anonymous.get(path);
                assertThat(answer.status()).isEqualTo(401);
                assertThat(answer.header("Set-Cookie")).as(path).isNull();
            }
            Http.Response post = anonymous.post("/api/links", "{}");
            assertThat(post.status()).isEqualTo(401);
            assertThat(post.header("Set-Cookie")).isNull();
        }
        assertThat(sessions().getActiveSessions()).isEqualTo(before);
    }

    @Test
    void theFaviconIsServedToAnyone() {
        Http.Response icon = Http.anonymous("http://127.0.0.1:" + port).get("/favicon.ico");
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.contentType()).contains("icon");
    }

    private Manager sessions() {
        TomcatWebServer tomcat = (TomcatWebServer) web.getWebServer();
        Context context = (Context) tomcat.getTomcat().getHost().findChildren()[0];
        return context.getManager();
    }
}
