package ar.connector.invoicing.fiscal;

import static ar.connector.invoicing.fiscal.Orders.catalogue;
import static ar.connector.invoicing.fiscal.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.contabilium.Alicuota;
import ar.connector.contabilium.CbModel;
import ar.connector.jumpseller.JsModel;

class InvoicePlannerTest {

    private static final BigDecimal THRESHOLD = new BigDecimal("10000000");
    private static final PlanSettings WITH_SHIPPING = new PlanSettings(true, "ENVIO", new BigDecimal("21"));
    private static final PlanSettings WITHOUT_SHIPPING = new PlanSettings(false, "ENVIO", new BigDecimal("21"));
    private static final Function<String, Optional<ProductInfo>> PRODUCTS = catalogue(
            Map.of("A", "21", "B", "10.5", "C", "", "ENVIO", "21"));

    private final InvoicePlanner planner = new InvoicePlanner(THRESHOLD);

    private static Plan.Ready ready(Plan plan) {
        assertThat(plan).isInstanceOf(Plan.Ready.class);
        return (Plan.Ready) plan;
    }

    private static String parked(Plan plan) {
        assertThat(plan).isInstanceOf(Plan.Park.class);
        return ((Plan.Park) plan).reason();
    }

    @Test
    void consumidorFinalWithDniInAdditionalFieldsGetsFacturaB() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera azul", 2, "1210.00")
                .field("DNI", "30.123.456").build(), WITH_SHIPPING, "RI", PRODUCTS));

        assertThat(plan.tipoFc()).isEqualTo("FCB");
        assertThat(plan.buyer().document()).contains(new TaxDocument("DNI", "30123456"));
        assertThat(plan.buyer().condicionIva()).isEqualTo("CF");
        assertThat(plan.items()).singleElement().satisfies(item -> {
            assertThat(item.idConcepto()).isEqualTo(PRODUCTS.apply("A").orElseThrow().idConcepto());
            assertThat(item.codigo()).isEqualTo("A");
            assertThat(item.concepto()).isEqualTo("Remera azul");
            assertThat(item.cantidad()).isEqualByComparingTo("2");
            assertThat(item.precioUnitario()).isEqualByComparingTo("1000.0000");
            assertThat(item.iva()).isEqualTo(Alicuota.of("21"));
            assertThat(item.bonificacion()).isEqualByComparingTo("0");
        });
        assertThat(plan.expectedTotal()).isEqualByComparingTo("2420.00");
        assertThat(plan.computedTotal()).isEqualByComparingTo("2420.00");
    }

    @Test
    void responsableInscriptoWithValidCuitGetsFacturaA() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").taxid("30-71234567-1")
                .billingInformation("Acme S.A.", "Responsable Inscripto").build(), WITH_SHIPPING, "RI", PRODUCTS));

        assertThat(plan.tipoFc()).isEqualTo("FCA");
        assertThat(plan.buyer().document()).contains(new TaxDocument("CUIT", "30712345671"));
        assertThat(plan.buyer().razonSocial()).isEqualTo("Acme S.A.");
        assertThat(plan.items().get(0).precioUnitario()).isEqualByComparingTo("100");
    }

    @Test
    void monotributoBuyerOfAnInscriptoSellerGetsFacturaA() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00")
                .field("Condición frente al IVA", "Monotributo").field("CUIT", "20123456786").build(),
                WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCA");
    }

    @Test
    void exentoBuyerOfAnInscriptoSellerGetsFacturaB() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00")
                .billingInformation(null, "Exento").taxid("30712345671").build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCB");
    }

    @Test
    void aCompanyCuitWithoutAStatedConditionIsTakenForInscriptoByAnInscriptoSeller() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").field("CUIT", "30-71234567-1")
                .billingInformation("Acme S.A.", null).build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCA");
        assertThat(plan.buyer().condicionIva()).isEqualTo("RI");
        assertThat(plan.buyer().personeria()).isEqualTo("J");
    }

    @Test
    void aCompanyCuitWithoutConditionThatArcaWouldRefuseParksNamingWhatIsMissing() {
        String reason = parked(planner.plan(order().line("A", "Remera", 1, "121.00").field("CUIT", "30-71234567-2")
                .build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).startsWith("El comprador es una empresa (CUIT informado: '30-71234567-2')")
                .contains("falta un CUIT válido");
    }

    @Test
    void aCompanyCuitWithAStatedConditionKeepsIt() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").field("CUIT", "30-71234567-1")
                .field("Condición frente al IVA", "Consumidor final").build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCB");
    }

    @Test
    void aCompanyCuitWithoutConditionFromAMonotributoSellerIsFacturaC() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").field("CUIT", "30-71234567-2")
                .build(), WITH_SHIPPING, "MO", PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCC");
    }

    @Test
    void monotributoSellerIssuesFacturaCAtFinalPricesWithoutIva() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 3, "1000.00", "100.00")
                .line("B", "Libro", 1, "2350.50").taxid("30712345671")
                .billingInformation("Acme S.A.", "Responsable Inscripto").shipping("800", "0").build(),
                WITH_SHIPPING, "MO", PRODUCTS));

        assertThat(plan.tipoFc()).isEqualTo("FCC");
        assertThat(plan.items()).allSatisfy(item -> assertThat(item.iva()).isEqualTo(Alicuota.ZERO));
        assertThat(plan.items()).extracting(CbModel.Item::precioUnitario)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("966.6667"), new BigDecimal("2350.50"), new BigDecimal("800"));
        assertThat(plan.computedTotal()).isEqualByComparingTo("6050.50").isEqualByComparingTo(plan.expectedTotal());
    }

    @Test
    void exentoSellerAlsoIssuesFacturaC() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").build(), WITH_SHIPPING, "EX",
                PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCC");
    }

    @Test
    void mixedRatesLineDiscountCouponAndShippingReproduceTheOrderTotalToTheCent() {
        Plan.Ready plan = ready(planner.plan(order()
                .line("A", "Zapatilla", 3, "1499.99", "150.00")
                .line("B", "Libro", 2, "2350.50")
                .line("C", "Sin alícuota en Contabilium", 1, "999.90")
                .coupon("500.00").shipping("1200.00", "200.00").giftCards("1000")
                .field("DNI", "12345678").build(), WITH_SHIPPING, "RI", PRODUCTS));

        // subtotal 10200.87 − discount 650.00 + shipping 1000.00; the gift card is a payment, not a discount.
        assertThat(plan.expectedTotal()).isEqualByComparingTo("10550.87");
        assertThat(plan.computedTotal()).isEqualByComparingTo("10550.87");
        // The shipping follows the goods: 1000.00 split by their net amounts at 21 % (4201.43) and 10.5 %
        // (4042.66), 509.63 and 490.37.
        assertThat(plan.items()).extracting(CbModel.Item::iva).containsExactly(Alicuota.of("21"), Alicuota.of("10.5"),
                Alicuota.of("21"), Alicuota.of("21"), Alicuota.of("10.5"));
        assertThat(plan.items().subList(3, 5)).allSatisfy(shipping -> {
            assertThat(shipping.codigo()).isEqualTo("ENVIO");
            assertThat(shipping.cantidad()).isEqualByComparingTo("1");
        });
        assertThat(plan.items().subList(3, 5)).extracting(item -> ContabiliumTotals.amounts(item).total())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("509.63"), new BigDecimal("490.37"));
        assertThat(plan.items().subList(3, 5)).extracting(CbModel.Item::concepto)
                .containsExactly("Concepto ENVIO (IVA 21 %)", "Concepto ENVIO (IVA 10,5 %)");
        // Discounts live in the net prices, never in Bonificacion.
        assertThat(plan.items()).allSatisfy(item -> assertThat(item.bonificacion()).isEqualByComparingTo("0"));
        // Each product line carries its own discount and its share of the coupon: 4349.97 + 4701.00 + 999.90
        // = 10050.87 before the 500.00 coupon, spread 216.40 / 233.86 / 49.74 (the leftover cent of the rounded
        // down shares goes to the largest remainder, 216.3977).
        assertThat(plan.items().subList(0, 3)).extracting(item -> ContabiliumTotals.amounts(item).total())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("4133.57"), new BigDecimal("4467.14"), new BigDecimal("950.16"));
    }

    @Test
    void aCentThatNoNetPriceCanReachIsCarriedToTheNextLine() {
        // At 21 % no neto gives a line total of 1.01 (0.83 -> 1.00, 0.84 -> 1.02).
        assertThat(LinePricing.netFor(new BigDecimal("1.01"), new BigDecimal("21"))).isEqualByComparingTo("0.83");
        Plan.Ready plan = ready(planner.plan(order().line("A", "Caramelo", 1, "1.01").line("A", "Chicle", 1, "10.00")
                .build(), WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.computedTotal()).isEqualByComparingTo("11.01");
    }

    @Test
    void aSingleUnreachableLineEndsOneCentOffAndIsStillInvoiced() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Caramelo", 1, "1.01").build(), WITHOUT_SHIPPING, "RI",
                PRODUCTS));
        assertThat(plan.computedTotal().subtract(plan.expectedTotal()).abs()).isLessThanOrEqualTo(new BigDecimal("0.01"));
    }

    @Test
    void unitPricesForOddQuantitiesMultiplyBackToTheNeto() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Tornillo", 7, "10.00").build(), WITHOUT_SHIPPING, "RI",
                PRODUCTS));
        // 70.00 final = 57.85 neto + 12.15 IVA; 57.85 / 7 = 8.2643 (× 7 = 57.8501 -> 57.85)
        assertThat(plan.items().get(0).precioUnitario()).isEqualByComparingTo("8.2643");
        assertThat(plan.computedTotal()).isEqualByComparingTo("70.00");
    }

    @Test
    void shippingExcludedMeansNoShippingLineAndNoPark() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").shipping("1500", "0").build(),
                new PlanSettings(false, "NO-EXISTE", new BigDecimal("21")), "RI", PRODUCTS));
        assertThat(plan.items()).hasSize(1);
        assertThat(plan.expectedTotal()).isEqualByComparingTo("121.00");
    }

    @Test
    void fullyDiscountedShippingAddsNoLine() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "121.00").shipping("1500", "1500").build(),
                new PlanSettings(true, "NO-EXISTE", new BigDecimal("21")), "RI", PRODUCTS));
        assertThat(plan.items()).hasSize(1);
    }

    @Test
    void shippingTakesTheRateTheGoodsShareNotTheConceptsNorTheDefault() {
        Function<String, Optional<ProductInfo>> products = catalogue(Map.of("L", "10.5", "ENVIO", "27"));
        Plan.Ready plan = ready(planner.plan(order().line("L", "Libro técnico", 2, "110.50").shipping("1105", "0")
                .build(), new PlanSettings(true, "ENVIO", new BigDecimal("21")), "RI", products));
        assertThat(plan.items()).hasSize(2);
        assertThat(plan.items().get(1).iva()).isEqualTo(Alicuota.of("10.5"));
        assertThat(plan.items().get(1).precioUnitario()).isEqualByComparingTo("1000");
        assertThat(plan.items().get(1).concepto()).isEqualTo("Concepto ENVIO");
    }

    @Test
    void shippingOfExemptGoodsIsExempt() {
        Function<String, Optional<ProductInfo>> products = catalogue(Map.of("LIB", "Exento", "ENVIO", "21"));
        Plan.Ready plan = ready(planner.plan(order().line("LIB", "Libro", 1, "5000").shipping("800", "0").build(),
                WITH_SHIPPING, "RI", products));
        assertThat(plan.items()).extracting(CbModel.Item::iva).containsExactly(Alicuota.EXENTO, Alicuota.EXENTO);
        assertThat(plan.items().get(1).precioUnitario()).isEqualByComparingTo("800");
        assertThat(plan.computedTotal()).isEqualByComparingTo("5800.00");
    }

    @Test
    void mixedGoodsSplitTheShippingByTheirNetAmountsToTheCent() {
        // Nets: 1000.00 at 21 %, 2000.00 exempt, 0.00 (a free line) at 10.5 %: shipping 100.01 splits 33.34 / 66.67.
        Function<String, Optional<ProductInfo>> products = catalogue(Map.of("A", "21", "LIB", "Exento", "B", "10.5",
                "ENVIO", "21"));
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "1210.00").line("LIB", "Libro", 1, "2000.00")
                .line("B", "Muestra", 1, "0.00").shipping("100.01", "0").field("DNI", "12345678").build(),
                WITH_SHIPPING, "RI", products));
        List<CbModel.Item> shipping = plan.items().subList(3, plan.items().size());
        assertThat(shipping).extracting(CbModel.Item::iva).containsExactly(Alicuota.of("21"), Alicuota.EXENTO);
        assertThat(shipping).extracting(item -> ContabiliumTotals.amounts(item).total())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("33.34"), new BigDecimal("66.67"));
        assertThat(plan.computedTotal()).isEqualByComparingTo("3310.01").isEqualByComparingTo(plan.expectedTotal());
    }

    @Test
    void exemptAndNotTaxedConceptsKeepTheirNamesInsteadOfZero() {
        Function<String, Optional<ProductInfo>> products = catalogue(Map.of("LIB", "Exento", "SEG", "No gravado",
                "EXP", "0"));
        Plan.Ready plan = ready(planner.plan(order().line("LIB", "Libro", 1, "100").line("SEG", "Seguro", 1, "50")
                .line("EXP", "Exportable", 1, "10").build(), WITHOUT_SHIPPING, "RI", products));
        assertThat(plan.items()).extracting(CbModel.Item::iva)
                .containsExactly(Alicuota.EXENTO, Alicuota.NO_GRAVADO, Alicuota.ZERO);
        assertThat(plan.items()).extracting(CbModel.Item::precioUnitario).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("100"), new BigDecimal("50"), new BigDecimal("10"));
    }

    @Test
    void aTaxExcludedOrderIsInvoicedAtWhatTheBuyerPaidNotAtItsNetPrices() {
        // 1000 + 210 tax, paid 1210.
        Plan.Ready plan = ready(planner.plan(order().lineExcludingTax("A", "Remera", 1, "1000.00", "0", "21").build(),
                WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.expectedTotal()).isEqualByComparingTo("1210.00");
        assertThat(plan.computedTotal()).isEqualByComparingTo("1210.00");
        assertThat(plan.items()).singleElement().satisfies(item -> {
            assertThat(item.precioUnitario()).isEqualByComparingTo("1000");
            assertThat(item.iva()).isEqualTo(Alicuota.of("21"));
        });
    }

    @Test
    void aTaxExcludedOrderWithMixedRatesCouponAndTaxedShippingMatchesItsTotal() {
        // Nets 2 × 1000 at 21 % and 2000 at 10.5 %, a 400 coupon (200 / 200): tax 378 + 189 = 567; shipping 500 + 105.
        JsModel.Order order = order().lineExcludingTax("A", "Remera", 2, "1000.00", "0", "21")
                .lineExcludingTax("B", "Libro", 1, "2000.00", "0", "10.5").coupon("400.00")
                .shipping("500.00", "0").shippingTax("105.00").field("DNI", "12345678").build();
        assertThat(order.tax()).isEqualByComparingTo("567.00");
        assertThat(order.total()).isEqualByComparingTo("4772.00");

        Plan.Ready plan = ready(planner.plan(order, WITH_SHIPPING, "RI", PRODUCTS));

        assertThat(plan.expectedTotal()).isEqualByComparingTo("4772.00");
        assertThat(plan.computedTotal()).isEqualByComparingTo("4772.00");
        // The shipping the buyer paid, 605.00, follows the goods' rates by their nets (1800 and 1800): 302.50 each,
        // 250.00 net at 21 % and 273.76 at 10.5 %.
        assertThat(plan.items()).extracting(item -> ContabiliumTotals.amounts(item).neto())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("1800.00"), new BigDecimal("1800.00"), new BigDecimal("250.00"),
                        new BigDecimal("273.76"));
    }

    @Test
    void aTaxExcludedOrderOfAMonotributoSellerIsFacturaCForWhatWasPaid() {
        Plan.Ready plan = ready(planner.plan(order().lineExcludingTax("A", "Remera", 1, "1000.00", "0", "21").build(),
                WITHOUT_SHIPPING, "MO", PRODUCTS));
        assertThat(plan.tipoFc()).isEqualTo("FCC");
        assertThat(plan.items()).singleElement().satisfies(item -> {
            assertThat(item.precioUnitario()).isEqualByComparingTo("1210");
            assertThat(item.iva()).isEqualTo(Alicuota.ZERO);
        });
    }

    @Test
    void taxesTheStorePriceAlreadyIncludesChangeNothing() {
        Plan.Ready plan = ready(planner.plan(order().lineWithTaxes("A", "Remera", 1, "1210.00", "0",
                List.of(new JsModel.LineTax("IVA", new BigDecimal("21"), false, true))).build(),
                WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.expectedTotal()).isEqualByComparingTo("1210.00");
        assertThat(plan.items().get(0).precioUnitario()).isEqualByComparingTo("1000");
    }

    @Test
    void parksWhenTheOrdersTaxDoesNotMatchItsProductsRates() {
        String reason = parked(planner.plan(order().lineExcludingTax("A", "Remera", 1, "1000.00", "0", "21")
                .tax("150.00").build(), WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).startsWith("El impuesto del pedido ($ 150,00) no coincide con el que resulta de sus "
                + "productos y sus alícuotas ($ 210,00)");
    }

    @Test
    void parksWhenTheTaxExcludedTotalIsNotWhatTheAmountsAddUpTo() {
        String reason = parked(planner.plan(order().lineExcludingTax("A", "Remera", 1, "1000.00", "0", "21")
                .total("1000.00").build(), WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).startsWith("El total del pedido ($ 1.000,00) no coincide con subtotal − descuentos + "
                + "impuestos + envío ($ 1.210,00)");
    }

    @Test
    void parksAFixedAmountTaxItCannotTellFromIva() {
        String reason = parked(planner.plan(order().lineWithTaxes("A", "Vino", 1, "1000.00", "0",
                List.of(new JsModel.LineTax("IVA", new BigDecimal("21"), false, false),
                        new JsModel.LineTax("Impuesto interno", new BigDecimal("50"), true, false)))
                .tax("260.00").build(), WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).contains("monto fijo").contains("'Vino' (Impuesto interno)");
    }

    @Test
    void looksUpEachCodeOnce() {
        List<String> asked = new ArrayList<>();
        ready(planner.plan(order().line("A", "Remera S", 1, "121").line("A", "Remera M", 1, "121").shipping("100", "0")
                .build(), WITH_SHIPPING, "RI", sku -> {
                    asked.add(sku);
                    return PRODUCTS.apply(sku);
                }));
        assertThat(asked).containsExactly("A", "ENVIO");
    }

    @Test
    void unidentifiedConsumidorFinalBelowTheThresholdIsAnonymous() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Remera", 1, "9999999.99").build(), WITH_SHIPPING, "RI",
                PRODUCTS));
        assertThat(plan.buyer().anonymous()).isTrue();
        assertThat(plan.buyer().document()).isEmpty();
        assertThat(plan.tipoFc()).isEqualTo("FCB");
    }

    @Test
    void parksAnUnidentifiedConsumidorFinalAtTheThreshold() {
        String reason = parked(planner.plan(order().line("A", "Heladera", 1, "9999000.00").shipping("1000", "0").build(),
                WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).contains("no está identificado").contains("$ 10.000.000,00").contains("RG 5700/2025");
    }

    @Test
    void identifiedConsumidorFinalAboveTheThresholdIsInvoiced() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Auto", 1, "25000000.00").field("DNI", "12345678").build(),
                WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.buyer().anonymous()).isFalse();
    }

    @Test
    void parksAnOrderInAnotherCurrency() {
        assertThat(parked(planner.plan(order().currency("USD").line("A", "Remera", 1, "10").build(), WITH_SHIPPING, "RI",
                PRODUCTS))).isEqualTo("La moneda del pedido es USD; solo se facturan pedidos en ARS");
    }

    @Test
    void parksWhenTheSellerDoesNotStateItsIvaCondition() {
        assertThat(parked(planner.plan(order().line("A", "Remera", 1, "121").build(), WITH_SHIPPING, null, PRODUCTS)))
                .startsWith("La cuenta de Contabilium no informa su condición frente al IVA");
    }

    @Test
    void aMissingCurrencyMeansPesos() {
        ready(planner.plan(order().currency(null).line("A", "Remera", 1, "10").build(), WITH_SHIPPING, "RI", PRODUCTS));
    }

    @Test
    void parksNamingEverySkuWithoutAProduct() {
        String reason = parked(planner.plan(order().line("A", "Remera", 1, "10").line("X-1", "Gorra", 1, "10")
                .line("Y-2", "Buzo", 1, "10").line("X-1", "Gorra roja", 1, "10").build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).isEqualTo("Los SKU X-1, Y-2 no tienen producto en Contabilium");
    }

    @Test
    void parksALineWithoutSku() {
        assertThat(parked(planner.plan(order().line(null, "Regalo", 1, "10").build(), WITH_SHIPPING, "RI", PRODUCTS)))
                .contains("sin SKU: 'Regalo'");
    }

    @Test
    void parksWhenTheShippingConceptDoesNotExist() {
        String reason = parked(planner.plan(order().line("A", "Remera", 1, "10").shipping("1500", "0").build(),
                new PlanSettings(true, "ENVIO-X", new BigDecimal("21")), "RI", PRODUCTS));
        assertThat(reason).contains("ENVIO-X").contains("$ 1.500,00");
    }

    @Test
    void parksFacturaAWithoutAValidCuit() {
        String reason = parked(planner.plan(order().line("A", "Remera", 1, "121").taxid("20-12345678-0")
                .billingInformation(null, "Responsable Inscripto").build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).startsWith("Factura A requiere un CUIT válido: ").contains("Responsable Inscripto")
                .contains("20-12345678-0");
    }

    @Test
    void parksFacturaAWhenTheBuyerGaveADni() {
        String reason = parked(planner.plan(order().line("A", "Remera", 1, "121").field("DNI", "12345678")
                .field("Condicion IVA", "Monotributista").build(), WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).startsWith("Factura A requiere un CUIT válido: ").contains("DNI 12345678");
    }

    @Test
    void parksWhenTheStatedDiscountExceedsTheSubtotal() {
        String reason = parked(planner.plan(order().line("A", "Remera", 1, "1000.00").discount("1500.00")
                .shipping("500", "0").field("DNI", "12345678").build(), WITH_SHIPPING, "RI", PRODUCTS));
        // Lines cannot go below zero, so Contabilium would total the shipping alone.
        assertThat(reason).startsWith("El total calculado ($ 500,00) no coincide con el del pedido ($ 0,00)");
    }

    @Test
    void parksWhenTheSubtotalDisagreesWithTheLines() {
        String reason = parked(planner.plan(order().line("A", "Remera", 2, "100.00").subtotal("250.00").build(),
                WITH_SHIPPING, "RI", PRODUCTS));
        assertThat(reason).contains("$ 200,00").contains("$ 250,00");
    }

    @Test
    void parksALineWithQuantityZero() {
        assertThat(parked(planner.plan(order().line("A", "Remera", 0, "100.00").build(), WITH_SHIPPING, "RI", PRODUCTS)))
                .isEqualTo("La línea 'Remera' (SKU A) tiene cantidad 0");
    }

    @Test
    void parksALineDiscountLargerThanTheLine() {
        assertThat(parked(planner.plan(order().line("A", "Remera", 1, "100.00", "150.00").build(), WITH_SHIPPING, "RI",
                PRODUCTS))).contains("descuento de $ 150,00 mayor que su importe de $ 100,00");
    }

    @Test
    void parksANegativePrice() {
        assertThat(parked(planner.plan(order().line("A", "Remera", 1, "-100.00").build(), WITH_SHIPPING, "RI", PRODUCTS)))
                .contains("precio $ -100,00");
    }

    @Test
    void parksWhenTheSellerConditionIsUnknown() {
        assertThat(parked(planner.plan(order().line("A", "Remera", 1, "10").build(), WITH_SHIPPING, "CF", PRODUCTS)))
                .contains("no es RI, MO ni EX");
    }

    @Test
    void aFreeLineStaysFreeAtZero() {
        Plan.Ready plan = ready(planner.plan(order().line("A", "Muestra gratis", 1, "0.00").line("A", "Remera", 1, "121.00")
                .build(), WITHOUT_SHIPPING, "RI", PRODUCTS));
        assertThat(plan.items().get(0).precioUnitario()).isEqualByComparingTo("0");
        assertThat(plan.computedTotal()).isEqualByComparingTo("121.00");
    }

    @Test
    void plansAnOrderParsedFromJumpsellerJson() throws Exception {
        String json = """
                {"id": "5001", "status_enum": "paid", "currency": "ARS", "subtotal": "2420.0", "discount": 20,
                 "shipping": 605, "shipping_discount": 0, "gift_cards_discount": 0, "tax": 0,
                 "customer": {"id": "9", "email": "compras@acme.com.ar", "phone": null, "fullname": "Juan Pérez"},
                 "billing_address": {"name": "Juan", "surname": "Pérez", "taxid": "30-71234567-1",
                                     "street_number": null, "city": "Rosario", "region": "Santa Fe"},
                 "billing_information": {"company_name": "Acme S.A.", "taxpayer_type": "Responsable Inscripto"},
                 "additional_fields": [{"label": "Condición frente al IVA", "value": "IVA Responsable Inscripto",
                                        "area": "billing"}],
                 "products": [{"id": 1, "variant_id": null, "sku": "A", "name": "Remera", "qty": 2,
                               "price": 1210.0, "discount": "20.00", "tax": 0}]}
                """;
        JsModel.Order order = new ObjectMapper().readValue(json, JsModel.Order.class);

        Plan.Ready plan = ready(planner.plan(order, WITH_SHIPPING, "RI", PRODUCTS));

        assertThat(plan.tipoFc()).isEqualTo("FCA");
        assertThat(plan.buyer().razonSocial()).isEqualTo("Acme S.A.");
        assertThat(plan.buyer().city()).isEqualTo("Rosario");
        assertThat(plan.expectedTotal()).isEqualByComparingTo("3005.00");
        assertThat(plan.computedTotal()).isEqualByComparingTo("3005.00");
    }

    @Test
    void aLookupAnsweringNullCountsAsAMissingProduct() {
        assertThat(parked(planner.plan(order().line("A", "Remera", 1, "10").build(), WITH_SHIPPING, "RI", sku -> null)))
                .contains("El SKU A no tiene producto en Contabilium");
    }

    @Test
    void spreadsACouponInWholeCentsThatAddUpExactly() {
        List<BigDecimal> shares = InvoicePlanner.spread(new BigDecimal("0.10"),
                List.of(new BigDecimal("1"), new BigDecimal("1"), new BigDecimal("1")));
        assertThat(shares).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.04"), new BigDecimal("0.03"), new BigDecimal("0.03"));
        List<BigDecimal> proportional = InvoicePlanner.spread(new BigDecimal("100.00"),
                List.of(new BigDecimal("300.00"), new BigDecimal("100.00")));
        assertThat(proportional).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("75.00"), new BigDecimal("25.00"));
    }
}
