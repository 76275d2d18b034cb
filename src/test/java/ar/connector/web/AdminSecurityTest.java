package ar.connector.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;

/** HTTP Basic guards the admin API and the actuator, except health (SPEC §3.2, §3.4). */
@ConnectorTest
class AdminSecurityTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port;
    }

    @Test
    void linksApiWithoutCredentialsIs401AndChangesNothing() {
        Http anonymous = Http.anonymous(base);
        int before = jdbc.queryForObject("select count(*) from link", Integer.class);

        assertThat(anonymous.get("/api/links").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/links/1").status()).isEqualTo(401);
        assertThat(anonymous.post("/api/links", """
                {"name":"x","contabilium":{"clientId":"a@b.com","clientSecret":"s"},
                 "jumpseller":{"storeCode":"anon","login":"l","authToken":"t"},
                 "settings":{"puntoDeVentaId":1}}""").status()).isEqualTo(401);
        assertThat(anonymous.mergePatch("/api/links/1", "{\"name\":\"y\"}").status()).isEqualTo(401);
        assertThat(anonymous.delete("/api/links/1").status()).isEqualTo(401);

        assertThat(jdbc.queryForObject("select count(*) from link", Integer.class)).isEqualTo(before);
    }

    @Test
    void linksApiWithWrongPasswordIs401() {
        assertThat(Http.basic(base, ConnectorTest.ADMIN_USER, "wrong-password").get("/api/links").status())
                .isEqualTo(401);
        assertThat(Http.basic(base, "someone", ConnectorTest.ADMIN_PASSWORD).get("/api/links").status())
                .isEqualTo(401);
        assertThat(admin().get("/api/links").status()).isEqualTo(200);
    }

    @Test
    void healthAnswersAnonymously() {
        Http.Response health = Http.anonymous(base).get("/actuator/health");

        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(Http.anonymous(base).get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(Http.anonymous(base).get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/camelroutes", "/actuator/metrics", "/actuator/info"})
    void operatorEndpointsNeedCredentials(String path) {
        assertThat(Http.anonymous(base).get(path).status()).isEqualTo(401);
        assertThat(Http.basic(base, ConnectorTest.ADMIN_USER, "wrong-password").get(path).status()).isEqualTo(401);

        Http.Response authorized = admin().get(path);
        assertThat(authorized.status()).as(authorized.toString()).isEqualTo(200);
    }

    @Test
    void prometheusScrapeAndCamelRoutesAnswerTheAdmin() {
        Http.Response scrape = admin().get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");

        Http.Response routes = admin().get("/actuator/camelroutes");
        assertThat(routes.status()).isEqualTo(200);
        assertThat(routes.json().isArray()).as(routes.toString()).isTrue();
    }

    @Test
    void openApiDocumentIsPublicAndDescribesTheLinksApi() {
        Http.Response docs = Http.anonymous(base).get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/paths").has("/api/links")).isTrue();
        assertThat(docs.json().at("/paths").has("/api/links/{id}")).isTrue();
    }

    private Http admin() {
        return Http.basic(base, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);
    }
}
