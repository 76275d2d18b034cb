package ar.connector.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class AlertDigestTextTest {

    @Test
    void countsDownRg4540sFifteenDaysForACreditNote() {
        assertThat(AlertDigestText.deadline(15)).isEqualTo(
                "quedan 15 de los 15 días que la RG 4540 da para emitir la nota de crédito.");
        assertThat(AlertDigestText.deadline(1)).startsWith("queda 1 de los 15 días");
        assertThat(AlertDigestText.deadline(0)).startsWith("hoy vence el plazo de 15 días");
        assertThat(AlertDigestText.deadline(-3)).endsWith("venció hace 3 días.");
        assertThat(AlertDigestText.deadline(-1)).endsWith("venció hace 1 día.");
    }

    @Test
    void theDeadlineLineAppearsOnlyForOrdersWaitingForACreditNote() {
        String body = AlertDigestText.render("Tienda", List.of(
                new AlertDigestText.Item(1, "PARKED", "Pedido cancelado después de facturarse (FCB 0003-00000001)", 9),
                new AlertDigestText.Item(2, "PARKED", "El SKU X no tiene producto en Contabilium", null)), 0).body();
        assertThat(body).containsOnlyOnce("Plazo: quedan 9 de los 15 días");
    }

    @Test
    void advisesIssuingTheFceFromContabilium() {
        assertThat(AlertDigestText.advice("PARKED", "ARCA exige Factura de Crédito Electrónica MiPyME (FCE) para este "
                + "comprador y este monto")).startsWith("emita la Factura de Crédito Electrónica MiPyME desde Contabilium");
    }
}
