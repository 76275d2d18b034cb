package ar.connector.invoicing.fiscal;

import static ar.connector.invoicing.fiscal.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuyerIdentificationTest {

    @Test
    void readsTheDniFromACheckoutFieldWhateverItsAccentsAndCase() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10")
                .field("Nro. de Documento", "30.123.456").build());
        assertThat(buyer.document()).contains(new TaxDocument("DNI", "30123456"));
        assertThat(buyer.condicionIva()).isEqualTo("CF");
        assertThat(buyer.anonymous()).isFalse();
    }

    @Test
    void readsTheConditionFromACheckoutFieldBeforeBillingInformation() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10")
                .field("CONDICION FRENTE AL IVA", "Monotributista").field("CUIT", "20-12345678-6")
                .billingInformation(null, "Consumidor Final").build());
        assertThat(buyer.condicionIva()).isEqualTo("MO");
        assertThat(buyer.document()).contains(new TaxDocument("CUIT", "20123456786"));
    }

    @Test
    void fallsBackToTaxidAndTaxpayerType() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10").taxid("30-71234567-1")
                .billingInformation("Acme S.A.", "Responsable Inscripto").build());
        assertThat(buyer.document()).contains(new TaxDocument("CUIT", "30712345671"));
        assertThat(buyer.condicionIva()).isEqualTo("RI");
        assertThat(buyer.razonSocial()).isEqualTo("Acme S.A.");
        assertThat(buyer.personeria()).isEqualTo("J");
    }

    @Test
    void aValidCuitAnywhereWinsOverADniFoundEarlier() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10").field("DNI", "12345678")
                .taxid("20123456786").build());
        assertThat(buyer.document()).contains(new TaxDocument("CUIT", "20123456786"));
        assertThat(buyer.personeria()).isEqualTo("F");
    }

    @Test
    void anInvalidCuitIsNoDocumentSoTheBuyerIsAnonymous() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10").field("CUIT", "20-12345678-0").build());
        assertThat(buyer.document()).isEmpty();
        assertThat(buyer.anonymous()).isTrue();
    }

    @Test
    void noStatedConditionMeansConsumidorFinal() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10").taxid("20123456786").build());
        assertThat(buyer.condicionIva()).isEqualTo("CF");
    }

    @Test
    void mapsConditionTexts() {
        assertThat(BuyerIdentification.condicionIva("IVA Responsable Inscripto")).contains("RI");
        assertThat(BuyerIdentification.condicionIva("RI")).contains("RI");
        assertThat(BuyerIdentification.condicionIva("Responsable Monotributo")).contains("MO");
        assertThat(BuyerIdentification.condicionIva("IVA Sujeto Exento")).contains("EX");
        assertThat(BuyerIdentification.condicionIva("Consumidor Final")).contains("CF");
        assertThat(BuyerIdentification.condicionIva("cf")).contains("CF");
        // "tributo" must not read as RI, and unknown text says nothing.
        assertThat(BuyerIdentification.condicionIva("otro tributo")).isEmpty();
        assertThat(BuyerIdentification.condicionIva("")).isEmpty();
    }

    @Test
    void onlyDocumentFieldsCountNotEveryNumberWhoseLabelSaysNro() {
        Buyer phone = BuyerIdentification.identify(order().line("A", "A", 1, "10")
                .field("Nro. de teléfono", "4555-1234").field("Nro. de piso", "12").build());
        assertThat(phone.document()).isEmpty();
        assertThat(phone.anonymous()).isTrue();

        Buyer doc = BuyerIdentification.identify(order().line("A", "A", 1, "10").field("Nro. Doc.", "23.456.789").build());
        assertThat(doc.document()).contains(new TaxDocument("DNI", "23456789"));
    }

    @Test
    void saysWhetherTheOrderStatedTheCondition() {
        assertThat(BuyerIdentification.identify(order().line("A", "A", 1, "10").taxid("30712345671").build())
                .conditionStated()).isFalse();
        assertThat(BuyerIdentification.identify(order().line("A", "A", 1, "10").taxid("30712345671")
                .billingInformation(null, "Consumidor Final").build()).conditionStated()).isTrue();
    }

    @Test
    void ignoresFieldsThatAreNeitherDocumentNorCondition() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10")
                .field("Horario de entrega", "12345678").field("Dirección privada", "Responsable Inscripto").build());
        assertThat(buyer.document()).isEmpty();
        assertThat(buyer.condicionIva()).isEqualTo("CF");
    }

    @Test
    void razonSocialIsTheBillingNameWithoutCompanyAndTheCustomerNameWithoutEither() {
        assertThat(BuyerIdentification.identify(order().line("A", "A", 1, "10").billingName("Juan", "Pérez").build())
                .razonSocial()).isEqualTo("Juan Pérez");
        assertThat(BuyerIdentification.identify(order().line("A", "A", 1, "10").billingName(null, " ").build())
                .razonSocial()).isEqualTo("Ana María García");
    }

    @Test
    void copiesContactAndAddress() {
        Buyer buyer = BuyerIdentification.identify(order().line("A", "A", 1, "10").build());
        assertThat(buyer.email()).isEqualTo("ana@example.com");
        assertThat(buyer.phone()).isEqualTo("+54 11 5555-0000");
        assertThat(buyer.address()).isEqualTo("Av. Corrientes 1234");
        assertThat(buyer.city()).isEqualTo("CABA");
        assertThat(buyer.postal()).isEqualTo("C1043");
        assertThat(buyer.region()).isEqualTo("Ciudad Autónoma de Buenos Aires");
        assertThat(buyer.regionCode()).isEqualTo("C");
    }
}
