package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;

/** The operator consoles (Hawtio, Jolokia, writable actuator endpoints) are behind the admin login (SPEC §3.4). */
@ConnectorTest
class OperatorSecurityTest {

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    Http anonymous;
    Http admin;

    @BeforeEach
    void clients() {
        anonymous = Http.anonymous("http://127.0.0.1:" + port);
        admin = Http.basic("http://127.0.0.1:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);
    }

    @Test
    void hawtioJolokiaAndRouteControlRefuseAnonymousCalls() {
        String stop = """
                {"type":"exec","mbean":"org.apache.camel:context=%s,type=routes,name=\\"order-polling\\"","operation":"stop()"}"""
                .formatted(camel.getManagementName());

        assertThat(anonymous.get("/actuator/hawtio").status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/hawtio/").status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/hawtio/jolokia/version").status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/jolokia/version").status()).isEqualTo(401);
        assertThat(anonymous.post("/actuator/jolokia", stop).status()).isEqualTo(401);
        assertThat(anonymous.post("/actuator/camelroutes/order-polling/stop", null).status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/camelroutes").status()).isEqualTo(401);
        assertThat(Http.basic("http://127.0.0.1:" + port, ConnectorTest.ADMIN_USER, "wrong")
                .post("/actuator/jolokia", stop).status()).isEqualTo(401);

        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted())
                .as("no anonymous call stopped the route").isTrue();
    }

    @Test
    void hawtioAndJolokiaAnswerTheAdmin() {
        Http.Response hawtio = admin.get("/actuator/hawtio/");
        assertThat(hawtio.status()).as(hawtio.toString()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
        Http.Response version = admin.get("/actuator/jolokia/version");
        assertThat(version.status()).as(version.toString()).isEqualTo(200);
        assertThat(version.json().path("value").path("agent").asText()).isNotBlank();
    }
}
