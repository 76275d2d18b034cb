package ar.connector.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import ar.connector.sandbox.contabilium.SandboxAccount;
import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;
import ar.connector.support.TestSandboxes;

/** POST /api/contabilium/options: what a link's settings can choose from, read live from the account. */
@ConnectorTest
class ContabiliumOptionsApiTest {

    @LocalServerPort
    int port;

    @Test
    void listsTheAccountsActivePointsOfSaleConditionsWarehousesAndPriceLists() {
        String email = "opciones-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        SandboxAccount account = TestSandboxes.CONTABILIUM.addAccount(email, "clave", "RI", "Opciones SA", "30712345674");
        account.seedDefaults();
        account.addPuntoDeVenta(2, 7, "Local");
        account.addPuntoDeVenta(5, 9, "Cerrado");
        account.setPuntoDeVentaActivo(5, false);
        account.addDeposito(4, "Norte");
        account.addPriceList(3, "Mayorista");
        Http admin = Http.basic("http://localhost:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);

        Http.Response answer = admin.post("/api/contabilium/options",
                "{\"clientId\":\"" + email + "\",\"clientSecret\":\"clave\"}");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().findValuesAsText("value")).containsExactly("1", "2", "Contado", "MercadoPago", "1", "4", "3");
        assertThat(answer.json().at("/puntosDeVenta/1/label").asText()).isEqualTo("00007 – Local");
        assertThat(answer.json().at("/depositos/1/label").asText()).isEqualTo("Norte");
    }

    @Test
    void aRefusedKeyIs422OnTheKeyAndAnonymousCallersAre401() {
        String email = "opciones-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        TestSandboxes.CONTABILIUM.addAccount(email, "clave", "RI", "Opciones SA", "30712345674").seedDefaults();
        String body = "{\"clientId\":\"" + email + "\",\"clientSecret\":\"otra\"}";

        Http.Response refused = Http.basic("http://localhost:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD)
                .post("/api/contabilium/options", body);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("clientSecret");
        assertThat(refused.body()).doesNotContain("otra");
        assertThat(Http.anonymous("http://localhost:" + port).post("/api/contabilium/options", body).status()).isEqualTo(401);
    }
}
