package ar.connector.invoicing.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import ar.connector.contabilium.Alicuota;
import ar.connector.jumpseller.JsModel;

/**
 * Many generated orders, one fixed seed: whatever the mix of rates, quantities, discounts, coupons and
 * shipping, the invoice Contabilium will compute stays within one cent of what the buyer paid, or the order
 * parks; in stores whose prices include tax and in stores that add it at checkout alike.
 */
class InvoicePlannerPropertyTest {

    private static final int ORDERS = 2_000;
    private static final List<String> RATES = List.of("21", "10.5", "27", "5", "2.5", "0");
    private static final BigDecimal CENT = new BigDecimal("0.01");

    // Each SKU carries its rate ("P-10.5-3"); "P-none-1" has no rate in Contabilium and takes the default.
    private static final Function<String, Optional<ProductInfo>> PRODUCTS = sku -> {
        String rate = sku.split("-")[1];
        return Optional.of(new ProductInfo(sku.hashCode() & 0xffff, sku, sku,
                rate.equals("none") ? null : Alicuota.of(rate)));
    };

    private final InvoicePlanner planner = new InvoicePlanner(new BigDecimal("1000000000"));

    @Test
    void generatedOrdersReproduceTheOrderTotalWithinOneCent() {
        for (String seller : List.of("RI", "MO")) {
            Random random = new Random(20260301L);
            int exact = 0;
            int lines = 0;
            int singleLine = 0;
            for (int n = 0; n < ORDERS; n++) {
                boolean includeShipping = random.nextInt(4) > 0;
                JsModel.Order order = randomOrder(random);
                PlanSettings settings = new PlanSettings(includeShipping, "P-21-envio", new BigDecimal(pick(random, RATES)));

                Plan plan = planner.plan(order, settings, seller, PRODUCTS);

                assertThat(plan).as("order %d: %s", n, order).isInstanceOf(Plan.Ready.class);
                Plan.Ready ready = (Plan.Ready) plan;
                BigDecimal difference = ready.computedTotal().subtract(ready.expectedTotal()).abs();
                assertThat(difference).as("order %d: %s", n, order).isLessThanOrEqualTo(CENT);
                assertWellFormed(ready);
                if (difference.signum() == 0) {
                    exact++;
                } else if (ready.items().size() == 1) {
                    // One line whose amount no neto reaches: nothing to carry the cent to.
                    singleLine++;
                }
                lines += ready.items().size();
            }
            System.out.printf("Seller %s: %d of %d generated orders (%d invoice lines) match the order total exactly;"
                    + " %d are one cent off, %d of them single-line invoices%n", seller, exact, ORDERS, lines,
                    ORDERS - exact, singleLine);
            // Regression guard: with this seed only single-line invoices miss by a cent (9 of 2,000 for RI).
            assertThat(exact).isGreaterThanOrEqualTo(ORDERS * 99 / 100);
        }
    }

    @Test
    void generatedTaxExcludedOrdersInvoiceWhatTheBuyerPaidOrPark() {
        for (String seller : List.of("RI", "MO")) {
            Random random = new Random(20261204L);
            int ready = 0;
            int exact = 0;
            int tampered = 0;
            for (int n = 0; n < ORDERS; n++) {
                boolean includeShipping = random.nextInt(4) > 0;
                // One order in ten states a tax its lines do not add up to (a store misconfigured, a bug).
                boolean tamper = random.nextInt(10) == 0;
                JsModel.Order order = randomTaxExcludedOrder(random, tamper);
                PlanSettings settings = new PlanSettings(includeShipping, "P-21-envio", new BigDecimal(pick(random, RATES)));

                Plan plan = planner.plan(order, settings, seller, PRODUCTS);

                if (tamper) {
                    tampered++;
                    assertThat(plan).as("order %d: %s", n, order).isInstanceOf(Plan.Park.class);
                    assertThat(((Plan.Park) plan).reason()).startsWith("El impuesto del pedido");
                    continue;
                }
                assertThat(plan).as("order %d: %s", n, order).isInstanceOf(Plan.Ready.class);
                ready++;
                Plan.Ready invoice = (Plan.Ready) plan;
                BigDecimal paid = order.total().add(order.giftCardsDiscount());
                if (!includeShipping) {
                    paid = paid.subtract(order.shipping()).add(order.shippingDiscount()).subtract(order.shippingTax());
                }
                BigDecimal difference = invoice.computedTotal().subtract(paid).abs();
                assertThat(difference).as("order %d: %s", n, order).isLessThanOrEqualTo(CENT);
                assertWellFormed(invoice);
                exact += difference.signum() == 0 ? 1 : 0;
            }
            System.out.printf("Seller %s, tax-excluded store: %d of %d orders invoiced, %d of them exactly what the "
                    + "buyer paid; %d orders with a tax that does not add up parked%n", seller, ready, ORDERS, exact,
                    tampered);
            assertThat(exact).isGreaterThanOrEqualTo(ready * 99 / 100);
        }
    }

    /** What Contabilium accepts and recomputes: the planned total is its own arithmetic on the items. */
    private static void assertWellFormed(Plan.Ready ready) {
        assertThat(ready.computedTotal()).isEqualByComparingTo(ContabiliumTotals.total(ready.items()));
        assertThat(ready.items()).allSatisfy(item -> {
            assertThat(item.precioUnitario().signum()).isNotNegative();
            assertThat(item.precioUnitario().scale()).isLessThanOrEqualTo(4);
            assertThat(item.bonificacion()).isEqualByComparingTo("0");
        });
    }

    /** Net prices, IVA added per line at the line's rate as Jumpseller does, shipping tax at 21 %. */
    private static JsModel.Order randomTaxExcludedOrder(Random random, boolean tamper) {
        Orders order = Orders.order();
        int lineCount = 1 + random.nextInt(8);
        BigDecimal afterLineDiscounts = BigDecimal.ZERO;
        for (int i = 0; i < lineCount; i++) {
            int qty = 1 + random.nextInt(50);
            BigDecimal price = BigDecimal.valueOf(1 + random.nextInt(20_000_000), 2);
            BigDecimal gross = price.multiply(BigDecimal.valueOf(qty));
            BigDecimal discount = random.nextInt(3) == 0
                    ? gross.multiply(BigDecimal.valueOf(random.nextInt(60), 2)).setScale(2, RoundingMode.HALF_UP)
                    : BigDecimal.ZERO;
            String rate = pick(random, RATES);
            afterLineDiscounts = afterLineDiscounts.add(gross.subtract(discount));
            order.lineExcludingTax("P-" + rate + "-" + i, "Producto " + i, qty, price.toPlainString(),
                    discount.toPlainString(), rate);
        }
        if (random.nextBoolean()) {
            BigDecimal coupon = afterLineDiscounts.multiply(BigDecimal.valueOf(random.nextInt(40_000), 5));
            order.coupon(coupon.min(afterLineDiscounts).setScale(2, RoundingMode.HALF_UP).toPlainString());
        }
        if (random.nextInt(3) > 0) {
            BigDecimal shipping = BigDecimal.valueOf(random.nextInt(3_000_000), 2);
            order.shipping(shipping.toPlainString(), "0");
            order.shippingTax(shipping.multiply(new BigDecimal("0.21")).setScale(2, RoundingMode.HALF_UP).toPlainString());
        }
        if (random.nextInt(5) == 0) {
            order.giftCards("1000.00");
        }
        JsModel.Order built = order.field("DNI", "12345678").build();
        if (!tamper) {
            return built;
        }
        // Off by more than a cent per line: 10 % of the tax, at least a peso.
        BigDecimal wrong = built.tax().add(built.tax().multiply(new BigDecimal("0.1")).max(BigDecimal.ONE))
                .setScale(2, RoundingMode.HALF_UP);
        return order.tax(wrong.toPlainString()).build();
    }

    private static JsModel.Order randomOrder(Random random) {
        Orders order = Orders.order();
        int lineCount = 1 + random.nextInt(8);
        BigDecimal afterLineDiscounts = BigDecimal.ZERO;
        for (int i = 0; i < lineCount; i++) {
            int qty = 1 + random.nextInt(50);
            BigDecimal price = BigDecimal.valueOf(1 + random.nextInt(20_000_000), 2); // 0.01 .. 200,000.00
            BigDecimal gross = price.multiply(BigDecimal.valueOf(qty));
            BigDecimal discount = random.nextInt(3) == 0
                    ? gross.multiply(BigDecimal.valueOf(random.nextInt(60), 2)).setScale(2, RoundingMode.HALF_UP)
                    : BigDecimal.ZERO;
            String rate = random.nextInt(10) == 0 ? "none" : pick(random, RATES);
            afterLineDiscounts = afterLineDiscounts.add(gross.subtract(discount));
            order.line("P-" + rate + "-" + i, "Producto " + i, qty, price.toPlainString(), discount.toPlainString());
        }
        if (random.nextBoolean()) {
            // An order-level coupon of up to 40 % of what the lines still cost (a few cents at times).
            BigDecimal coupon = random.nextInt(5) == 0 ? BigDecimal.valueOf(random.nextInt(100), 2)
                    : afterLineDiscounts.multiply(BigDecimal.valueOf(random.nextInt(40_000), 5));
            order.coupon(coupon.min(afterLineDiscounts).setScale(2, RoundingMode.HALF_UP).toPlainString());
        }
        if (random.nextInt(3) > 0) {
            BigDecimal shipping = BigDecimal.valueOf(random.nextInt(3_000_000), 2);
            BigDecimal shippingDiscount = random.nextInt(4) == 0 ? shipping.multiply(new BigDecimal("0.5"))
                    .setScale(2, RoundingMode.HALF_UP) : BigDecimal.ZERO;
            order.shipping(shipping.toPlainString(), shippingDiscount.toPlainString());
        }
        if (random.nextInt(5) == 0) {
            order.giftCards("1000.00");
        }
        return order.field("DNI", "12345678").build();
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
