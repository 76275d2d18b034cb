package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ar.connector.support.ConnectorTest;
import ar.connector.support.ConsoleLogin;
import ar.connector.support.Http;

/**
 * One login serves the merchant console and Hawtio: the console's session opens Hawtio and its
 * Jolokia. It does so without reopening the cross-origin hole: a change made with that session must
 * come from the connector's own pages, and the admin API and the other actuator endpoints keep
 * taking only HTTP Basic.
 */
@ConnectorTest
class OneLoginForConsolesTest {

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    String base;
    Map<String, String> session;
    String stopPolling;

    @BeforeEach
    void login() {
        base = "http://127.0.0.1:" + port;
        session = Map.of("Cookie", "JSESSIONID=" + ConsoleLogin.session(base, ConnectorTest.ADMIN_USER,
                ConnectorTest.ADMIN_PASSWORD));
        stopPolling = """
                {"type":"exec","mbean":"org.apache.camel:context=%s,type=routes,name=\\"order-polling\\"","operation":"stop()"}"""
                .formatted(camel.getManagementName());
    }

    @AfterEach
    void pollingRuns() throws Exception {
        if (!camel.getRouteController().getRouteStatus("order-polling").isStarted()) {
            camel.getRouteController().startRoute("order-polling");
        }
    }

    @Test
    void theConsolesSessionOpensHawtioAndJolokia() {
        Http browser = Http.anonymous(base);
        Http.Response hawtio = browser.send("GET", "/actuator/hawtio/", null, null, session);
        assertThat(hawtio.status()).as(hawtio.toString()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
        Http.Response version = browser.send("GET", "/actuator/jolokia/version", null, null, session);
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.json().path("value").path("agent").asText()).isNotBlank();

        Http.Response stop = browser.send("POST", "/actuator/jolokia", stopPolling, "text/json",
                with("Origin", base));
        assertThat(stop.status()).as(stop.toString()).isEqualTo(200);
        assertThat(stop.json().path("status").asInt()).as(stop.body()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStopped()).isTrue();
    }

    @Test
    void aChangeMadeWithTheSessionFromAnotherSiteOrFromNoPageIsRefused() {
        Http browser = Http.anonymous(base);
        Http.Response foreign = browser.send("POST", "/actuator/jolokia", stopPolling, "text/json",
                with("Origin", "http://evil.example"));
        Http.Response foreignReferer = browser.send("POST", "/actuator/jolokia", stopPolling, "application/json",
                with("Referer", "http://evil.example/page.html"));
        Http.Response noPage = browser.send("POST", "/actuator/jolokia", stopPolling, "application/json", session);
        Http.Response viaHawtio = browser.send("POST", "/actuator/hawtio/jolokia", stopPolling, "application/json",
                with("Origin", "http://evil.example"));

        for (Http.Response refused : new Http.Response[] {foreign, foreignReferer, noPage, viaHawtio}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted()).isTrue();

        Http.Response ownReferer = browser.send("POST", "/actuator/hawtio/jolokia", stopPolling, "text/json",
                with("Referer", base + "/actuator/hawtio/camel/routes"));
        assertThat(ownReferer.status()).as(ownReferer.toString()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStopped()).isTrue();
    }

    @Test
    void theAdminApiAndTheOtherActuatorEndpointsRefuseTheSession() {
        Http browser = Http.anonymous(base);
        assertThat(browser.send("GET", "/api/links", null, null, session).status()).isEqualTo(401);
        assertThat(browser.send("GET", "/actuator/camelroutes", null, null, session).status()).isEqualTo(401);
        Http.Response stop = browser.send("POST", "/actuator/camelroutes/order-polling/stop", null, null,
                with("Origin", base));
        assertThat(stop.status()).isEqualTo(401);
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted()).isTrue();
    }

    private Map<String, String> with(String header, String value) {
        return Map.of("Cookie", session.get("Cookie"), header, value);
    }
}
