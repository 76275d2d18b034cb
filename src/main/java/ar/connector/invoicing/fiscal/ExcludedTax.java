package ar.connector.invoicing.fiscal;

import static ar.connector.invoicing.fiscal.ContabiliumTotals.round2;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ar.connector.jumpseller.JsModel;

/**
 * Orders of stores whose prices exclude tax. Jumpseller adds the tax at checkout: the order's {@code tax}
 * (products) and {@code shipping_tax} hold it, and each product's {@code taxes} name the rates it added
 * ({@code tax_on_product_price} false). The invoice is made out for what the buyer paid, so each product
 * line's amount gets its part of the order's tax, and the shipping its own tax; Contabilium's concepts then
 * decide the IVA inside those amounts, as for stores whose prices include it. Whatever does not add up parks
 * the order with both amounts: the connector never guesses a tax.
 */
final class ExcludedTax {

    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private ExcludedTax() {
    }

    /** The amounts with their tax, or why the order's tax cannot be reconciled with its products. */
    record Split(List<BigDecimal> amounts, String problem) {
    }

    /** True when the order carries tax on top of its prices. */
    static boolean applies(JsModel.Order order) {
        return orZero(order.tax()).signum() != 0 || orZero(order.shippingTax()).signum() != 0
                || order.lines().stream().anyMatch(line -> !added(line).isEmpty());
    }

    /** The shipping's own tax, which the buyer paid with it. */
    static BigDecimal shippingTax(JsModel.Order order) {
        return round2(orZero(order.shippingTax()));
    }

    /**
     * Spreads the order's {@code tax} over its product lines in proportion to amount × rate, in whole cents
     * that add up to it exactly. A line's rate is the sum of the percentage taxes Jumpseller added to it, or,
     * when the order lists none for it, its concept's rate. The order's tax must match the lines' own taxes
     * (each rounded to the cent) within a cent per taxed line.
     *
     * @param amounts      each line's amount after its discounts and its share of the coupon, before tax
     * @param conceptRates each line's IVA in Contabilium, for lines the order lists no tax for
     */
    static Split split(JsModel.Order order, List<BigDecimal> amounts, List<BigDecimal> conceptRates) {
        List<JsModel.Line> lines = order.lines();
        BigDecimal stated = round2(orZero(order.tax()));
        if (stated.signum() < 0) {
            return problem("El impuesto del pedido es negativo (" + Money.ars(stated) + ")");
        }
        List<String> fixed = new ArrayList<>();
        List<BigDecimal> weights = new ArrayList<>();
        BigDecimal perLine = BigDecimal.ZERO;
        int taxed = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsModel.Line line = lines.get(i);
            BigDecimal rate = line.lineTaxes().isEmpty() ? conceptRates.get(i) : BigDecimal.ZERO;
            for (JsModel.LineTax tax : added(line)) {
                if (Boolean.TRUE.equals(tax.fixed())) {
                    fixed.add("'" + line.name() + "' (" + (tax.name() == null ? "sin nombre" : tax.name()) + ")");
                } else {
                    rate = rate.add(orZero(tax.rate()));
                }
            }
            weights.add(amounts.get(i).multiply(rate));
            perLine = perLine.add(round2(amounts.get(i).multiply(rate).divide(HUNDRED)));
            taxed += rate.signum() > 0 ? 1 : 0;
        }
        if (!fixed.isEmpty()) {
            return problem("El pedido suma impuestos de monto fijo que no son IVA: " + String.join(", ", fixed)
                    + ". Facture el pedido a mano en Contabilium");
        }
        BigDecimal tolerance = CENT.multiply(BigDecimal.valueOf(Math.max(1, taxed)));
        if (perLine.subtract(stated).abs().compareTo(tolerance) > 0) {
            return problem("El impuesto del pedido (" + Money.ars(stated) + ") no coincide con el que resulta de sus "
                    + "productos y sus alícuotas (" + Money.ars(perLine) + "): revise los impuestos de la tienda o "
                    + "facture el pedido a mano");
        }
        List<BigDecimal> shares = InvoicePlanner.spread(stated, weights);
        List<BigDecimal> withTax = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            withTax.add(amounts.get(i).add(shares.get(i)));
        }
        return new Split(withTax, null);
    }

    /**
     * What the buyer paid by the order's own {@code total} (gift cards are a means of payment, so they count),
     * less the shipping when the invoice leaves it out; a reason when the invoice's amount differs from it.
     */
    static Optional<String> totalProblem(JsModel.Order order, BigDecimal expected, boolean includeShipping) {
        if (order.total() == null) {
            return Optional.empty();
        }
        BigDecimal paid = round2(order.total().add(orZero(order.giftCardsDiscount())));
        if (!includeShipping) {
            paid = paid.subtract(round2(orZero(order.shipping()).subtract(orZero(order.shippingDiscount()))))
                    .subtract(shippingTax(order));
        }
        if (paid.subtract(expected).abs().compareTo(CENT) <= 0) {
            return Optional.empty();
        }
        return Optional.of("El total del pedido (" + Money.ars(paid) + ") no coincide con subtotal − descuentos + "
                + "impuestos + envío (" + Money.ars(expected) + "): revise los impuestos de la tienda o facture el "
                + "pedido a mano");
    }

    /** The taxes Jumpseller added on top of the line's price (not those its price already includes). */
    private static List<JsModel.LineTax> added(JsModel.Line line) {
        return line.lineTaxes().stream().filter(tax -> !Boolean.TRUE.equals(tax.taxOnProductPrice())).toList();
    }

    private static Split problem(String reason) {
        return new Split(null, reason);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
