package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Provincias;
import ar.connector.sandbox.contabilium.SandboxCustomer;

/**
 * Buyers registered as Contabilium customers against a sandbox that, like Contabilium, fails on a customer
 * without country, province or address.
 */
class CustomerRegistrationTest extends SandboxedConnectorTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAnonymousOrderOnAFreshAccountGoesToContabiliumsGenericConsumidorFinalInTheSellersProvince() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        link.account().setIdProvincia(Provincias.id("Mendoza"));
        long orderId = link.store().newOrder().customer("anon@example.com", "Ana Nima")
                .line("REM-01", 1, 1210.00).status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        SandboxCustomer generic = single(link, "99999999");
        assertThat(generic.tipoDoc()).isEqualTo("DNI");
        assertThat(generic.razonSocial()).isEqualTo("Consumidor Final");
        assertThat(generic.condicionIva()).isEqualTo("CF");
        assertThat(generic.domicilio()).isEqualTo("Sin domicilio");
        assertThat(generic.idPais()).isEqualTo(10);
        assertThat(generic.idProvincia()).isEqualTo(Provincias.id("Mendoza"));
        assertThat(invoicesOf(link, orderId)).singleElement()
                .satisfies(invoice -> assertThat(invoice.idCliente()).isEqualTo(generic.id()));
    }

    @Test
    void aBuyerWithoutRegionOrAddressGetsTheSellersProvinceAndAnAddressPlaceholder() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        link.account().setIdProvincia(Provincias.id("Salta"));
        long orderId = link.store().newOrder().customer("sin@example.com", "Sara Indo")
                .additionalField("DNI", "30999888").region(null, null).address(null, null)
                .line("REM-01", 1, 1210.00).status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        SandboxCustomer buyer = single(link, "30999888");
        assertThat(buyer.domicilio()).isEqualTo("Sin domicilio");
        assertThat(buyer.idProvincia()).isEqualTo(Provincias.id("Salta"));
    }

    @Test
    void theRegionTheCheckoutSentPicksTheProvinceByCodeOrElseByName() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        // Jumpseller names CABA's region "Buenos Aires" in some stores: its code "C" tells it from the province.
        long byCode = link.store().newOrder().customer("caba@example.com", "Carlos Bas")
                .additionalField("DNI", "31000111").region("Buenos Aires", "C").address("Av. Santa Fe", 500)
                .line("REM-01", 1, 1210.00).status("paid").create();
        long byName = link.store().newOrder().customer("cba@example.com", "Clara Aba")
                .additionalField("DNI", "31000222").region("Córdoba")
                .line("REM-01", 1, 1210.00).status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", byCode).statusCode()).isEqualTo(200);
        assertThat(signedWebhook(link.store(), "order_paid", byName).statusCode()).isEqualTo(200);
        awaitStatus(link, byCode, "INVOICED");
        awaitStatus(link, byName, "INVOICED");

        assertThat(single(link, "31000111").idProvincia()).isEqualTo(Provincias.id("Capital Federal"));
        assertThat(single(link, "31000111").domicilio()).isEqualTo("Av. Santa Fe 500");
        assertThat(single(link, "31000222").idProvincia()).isEqualTo(Provincias.id("Córdoba"));
    }

    @Test
    void withNeitherTheBuyersNorTheSellersProvinceTheOrderParksSayingWhatIsMissing() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        link.account().setIdProvincia(null);
        long orderId = link.store().newOrder().additionalField("DNI", "30777666").region(null, null)
                .line("REM-01", 1, 1210.00).status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        assertThat(awaitStatus(link, orderId, "PARKED").get("reason").asText())
                .startsWith("No se puede registrar al comprador en Contabilium")
                .contains("IdProvincia");
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CLIENTE_CREATE)).isZero();
        assertThat(link.account().documents()).isEmpty();
    }

    @Test
    void anAccountThatRememberedAnEarlierGenericCustomerKeepsUsingIt() {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long earlier = link.account().addCustomer("Consumidor Final", "CF", "DNI", "0");
        jdbc.update("insert into contabilium_account (client_id, generic_customer_id, created_at) values (?, ?, ?)",
                link.account().email().toLowerCase(), earlier, Timestamp.from(Instant.now()));
        long orderId = link.store().newOrder().line("REM-01", 1, 1210.00).status("paid").create();

        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        awaitStatus(link, orderId, "INVOICED");

        assertThat(invoicesOf(link, orderId)).singleElement()
                .satisfies(invoice -> assertThat(invoice.idCliente()).isEqualTo(earlier));
        assertThat(CONTABILIUM.count(link.account().email(), Endpoint.CLIENTE_CREATE)).isZero();
    }

    private static SandboxCustomer single(Linked link, String nroDoc) {
        return link.account().customers().stream().filter(c -> nroDoc.equals(c.nroDoc())).findFirst()
                .orElseThrow(() -> new AssertionError("no customer " + nroDoc + " in " + link.account().customers()));
    }
}
