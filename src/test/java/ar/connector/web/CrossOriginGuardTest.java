package ar.connector.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;

/**
 * Another web site cannot drive the admin API or the actuator with the operator's login (a browser
 * resends HTTP Basic credentials to any page's request): a state-changing request with a foreign
 * {@code Origin}, or with a body that is not JSON (a form or text/plain post needs no CORS
 * preflight), is refused with 403 problem+json before it does anything.
 */
@ConnectorTest
class CrossOriginGuardTest {

    static final String EVIL = "http://evil.example";
    static final String LINK = """
            {"name":"x","contabilium":{"clientId":"origin@example.com","clientSecret":"s"},
             "jumpseller":{"storeCode":"origin-test","login":"l","authToken":"t"},"settings":{"puntoDeVentaId":1}}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    Http admin;

    @BeforeEach
    void admin() {
        admin = Http.basic("http://127.0.0.1:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);
    }

    @AfterEach
    void pollingRuns() throws Exception {
        if (!camel.getRouteController().getRouteStatus("order-polling").isStarted()) {
            camel.getRouteController().startRoute("order-polling");
        }
    }

    @Test
    void aForeignOriginCannotCreateALinkOrStopARoute() {
        int links = jdbc.queryForObject("select count(*) from link", Integer.class);

        Http.Response create = admin.send("POST", "/api/links", LINK, "application/json", Map.of("Origin", EVIL));
        Http.Response stop = admin.send("POST", "/actuator/camelroutes/order-polling/stop", null, null,
                Map.of("Origin", EVIL));

        assertForbiddenProblem(create);
        assertThat(create.json().path("detail").asText()).contains("evil.example");
        assertForbiddenProblem(stop);
        assertThat(jdbc.queryForObject("select count(*) from link", Integer.class)).isEqualTo(links);
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted()).isTrue();
    }

    @Test
    void bodiesThatAreNotJsonAreRefusedBeforeTheyReachTheApi() {
        // Without the guard these would be 404 (no such link) or 415: the guard answers first.
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            Http.Response sync = admin.send("POST", "/api/links/999999/stock-sync", "{}", type, Map.of());
            assertForbiddenProblem(sync);
            Http.Response receipt = admin.send("POST", "/api/links/999999/orders/1/receipt", "x=1", type, Map.of());
            assertForbiddenProblem(receipt);
        }
        Http.Response noType = admin.send("POST", "/api/links", LINK, null, Map.of());
        assertForbiddenProblem(noType);
    }

    @Test
    void theConnectorsOwnOriginAndJsonBodiesPass() {
        String own = "http://127.0.0.1:" + port;
        Http.Response sync = admin.send("POST", "/api/links/999999/stock-sync", null, null, Map.of("Origin", own));
        assertThat(sync.status()).as(sync.toString()).isEqualTo(404);
        Http.Response patch = admin.send("PATCH", "/api/links/999999", "{\"name\":\"y\"}",
                "application/merge-patch+json", Map.of("Origin", own));
        assertThat(patch.status()).as(patch.toString()).isEqualTo(404);
        Http.Response invalid = admin.send("POST", "/api/links", "{}", "application/json; charset=UTF-8",
                Map.of("Origin", own));
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    }

    @Test
    void readsAndTheWebhookReceiverAreNotGuarded() {
        assertThat(admin.send("GET", "/api/links", null, null, Map.of("Origin", EVIL)).status()).isEqualTo(200);
        // The receiver is called by Jumpseller's servers; its own checks (store, signature) answer.
        Http.Response hook = Http.anonymous("http://127.0.0.1:" + port).send("POST", "/webhooks/jumpseller", "{}",
                "text/plain", Map.of("Origin", EVIL));
        assertThat(hook.status()).isEqualTo(404);
    }

    static void assertForbiddenProblem(Http.Response answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(403);
    }
}
