package ar.connector.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class ReceiptTextTest {

    private static final ReceiptText.Invoice INVOICE = new ReceiptText.Invoice("Mate & Co", "Ana Pérez", "FCB",
            "0003-00001234", LocalDate.of(2025, 3, 7), new BigDecimal("1234.5"), 987, "https://cb.example/f/1", "71234");

    @Test
    void pesosUseArgentineSeparatorsAndTwoDecimals() {
        assertThat(ReceiptText.pesos(new BigDecimal("1234.5"))).isEqualTo("$ 1.234,50");
        assertThat(ReceiptText.pesos(new BigDecimal("1234567.895"))).isEqualTo("$ 1.234.567,90");
        assertThat(ReceiptText.pesos(new BigDecimal("0.4"))).isEqualTo("$ 0,40");
    }

    @Test
    void fileNameCarriesLetterAndNumber() {
        assertThat(ReceiptText.fileName("FCB", "0003-00001234")).isEqualTo("Factura-B-0003-00001234.pdf");
        assertThat(ReceiptText.fileName("FCA", "0001/00000007")).isEqualTo("Factura-A-0001-00000007.pdf");
    }

    @Test
    void defaultTemplateNamesStoreInvoiceDateTotalAndLink() throws Exception {
        ReceiptText text = new ReceiptText(new String(getClass().getResourceAsStream("/receipts/receipt-template.txt")
                .readAllBytes(), StandardCharsets.UTF_8));

        ReceiptText.Rendered rendered = text.render(INVOICE);

        assertThat(rendered.subject()).isEqualTo("Mate & Co - Factura B N° 0003-00001234 de su compra");
        assertThat(rendered.body()).contains("Hola Ana Pérez:").contains("Gracias por su compra en Mate & Co")
                .contains("Fecha: 07/03/2025").contains("Total: $ 1.234,50").contains("pedido #987")
                .contains("https://cb.example/f/1").doesNotContain("{");
    }

    @Test
    void lineWithTheLinkIsLeftOutWhenThereIsNone() {
        ReceiptText text = new ReceiptText("Asunto: {tienda}\nFactura {letra} {numero}\nVer: {enlace}\nFin");
        ReceiptText.Invoice noLink = new ReceiptText.Invoice("T", null, "FCC", "1", null, BigDecimal.ONE, 1, null, null);

        ReceiptText.Rendered rendered = text.render(noLink);

        assertThat(rendered.body()).isEqualTo("Factura C 1\nFin\n");
    }

    @Test
    void templateMustStartWithTheSubjectLine() {
        assertThatThrownBy(() -> new ReceiptText("Hola {comprador}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buyerAddressesWithoutADomainAreNotDeliverable() {
        assertThat(ReceiptMailing.address("no-es-un-correo")).isNull();
        assertThat(ReceiptMailing.address("ana@localhost")).isNull();
        assertThat(ReceiptMailing.address("ana@@x.com")).isNull();
        assertThat(ReceiptMailing.address(" ")).isNull();
        assertThat(ReceiptMailing.address("ana.perez@example.com.ar").getAddress()).isEqualTo("ana.perez@example.com.ar");
    }
}
