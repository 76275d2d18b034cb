package ar.connector.invoicing.fiscal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import ar.connector.contabilium.Alicuota;
import ar.connector.jumpseller.JsModel;

/**
 * Builds Jumpseller orders for tests. Unless set explicitly, {@code subtotal} is Σ price × qty and
 * {@code discount} is the lines' discounts plus the coupon, as the Jumpseller contract defines them. Lines added
 * with {@link #lineExcludingTax} are a tax-excluded store's: their price is net and, unless set, the order's
 * {@code tax} is Σ of each line's amount after discounts (the coupon spread in proportion) × its rate, each rounded.
 */
final class Orders {

    private String currency = "ARS";
    private BigDecimal subtotal;
    private BigDecimal discount;
    private BigDecimal coupon = BigDecimal.ZERO;
    private BigDecimal shipping = BigDecimal.ZERO;
    private BigDecimal shippingDiscount = BigDecimal.ZERO;
    private BigDecimal giftCards = BigDecimal.ZERO;
    private BigDecimal tax;
    private BigDecimal total;
    private BigDecimal shippingTax = BigDecimal.ZERO;
    private final List<JsModel.Line> lines = new ArrayList<>();
    private final List<JsModel.AdditionalField> fields = new ArrayList<>();
    private String name = "Ana";
    private String surname = "García";
    private String taxid;
    private String companyName;
    private String taxpayerType;

    static Orders order() {
        return new Orders();
    }

    Orders currency(String value) {
        currency = value;
        return this;
    }

    Orders line(String sku, String lineName, int qty, String price) {
        return line(sku, lineName, qty, price, "0");
    }

    Orders line(String sku, String lineName, int qty, String price, String lineDiscount) {
        lines.add(new JsModel.Line(1L, null, sku, lineName, BigDecimal.valueOf(qty), new BigDecimal(price),
                new BigDecimal(lineDiscount), List.of()));
        return this;
    }

    /** A line of a store whose prices exclude tax: {@code netPrice} plus IVA at {@code rate} added at checkout. */
    Orders lineExcludingTax(String sku, String lineName, int qty, String netPrice, String lineDiscount, String rate) {
        return lineWithTaxes(sku, lineName, qty, netPrice, lineDiscount,
                List.of(new JsModel.LineTax("IVA", new BigDecimal(rate), false, false)));
    }

    Orders lineWithTaxes(String sku, String lineName, int qty, String price, String lineDiscount,
            List<JsModel.LineTax> taxes) {
        lines.add(new JsModel.Line(1L, null, sku, lineName, BigDecimal.valueOf(qty), new BigDecimal(price),
                new BigDecimal(lineDiscount), taxes));
        return this;
    }

    /** Overrides the order's tax computed from the lines. */
    Orders tax(String value) {
        tax = new BigDecimal(value);
        return this;
    }

    /** Overrides the order's total computed from its amounts. */
    Orders total(String value) {
        total = new BigDecimal(value);
        return this;
    }

    Orders shippingTax(String value) {
        shippingTax = new BigDecimal(value);
        return this;
    }

    Orders coupon(String value) {
        coupon = new BigDecimal(value);
        return this;
    }

    /** Overrides the computed order discount (the whole discount, lines included). */
    Orders discount(String value) {
        discount = new BigDecimal(value);
        return this;
    }

    Orders subtotal(String value) {
        subtotal = new BigDecimal(value);
        return this;
    }

    Orders shipping(String value, String discountOnShipping) {
        shipping = new BigDecimal(value);
        shippingDiscount = new BigDecimal(discountOnShipping);
        return this;
    }

    Orders giftCards(String value) {
        giftCards = new BigDecimal(value);
        return this;
    }

    Orders field(String label, String value) {
        fields.add(new JsModel.AdditionalField(label, value, "billing"));
        return this;
    }

    Orders billingName(String first, String last) {
        name = first;
        surname = last;
        return this;
    }

    Orders taxid(String value) {
        taxid = value;
        return this;
    }

    Orders billingInformation(String company, String taxpayer) {
        companyName = company;
        taxpayerType = taxpayer;
        return this;
    }

    JsModel.Order build() {
        BigDecimal computedSubtotal = lines.stream().map(l -> l.price().multiply(l.qty()))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_UP);
        BigDecimal lineDiscounts = lines.stream().map(JsModel.Line::discount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal sub = subtotal != null ? subtotal : computedSubtotal;
        BigDecimal disc = discount != null ? discount : lineDiscounts.add(coupon);
        BigDecimal orderTax = tax != null ? tax : linesTax(disc.subtract(lineDiscounts));
        BigDecimal orderTotal = total != null ? total : sub.subtract(disc).add(orderTax).add(shipping).add(shippingTax)
                .subtract(shippingDiscount).subtract(giftCards);
        return new JsModel.Order(1001, "Pagado", "paid", "2026-03-01T10:00:00-03:00", currency, sub, orderTax,
                shippingTax, shipping, orderTotal, disc, shippingDiscount, giftCards,
                new JsModel.Customer("77", "ana@example.com", "+54 11 5555-0000", "Ana María García"),
                new JsModel.BillingAddress(name, surname, taxid, "Av. Corrientes", "1234", "CABA", "C1043",
                        "Ciudad Autónoma de Buenos Aires", "C", "Argentina", "AR", null),
                companyName == null && taxpayerType == null ? null
                        : new JsModel.BillingInformation(companyName, taxpayerType, null),
                List.copyOf(fields), List.copyOf(lines));
    }

    /** Σ round2(amount × rate) over the lines Jumpseller adds tax to, the coupon spread by the lines' amounts. */
    private BigDecimal linesTax(BigDecimal coupon) {
        BigDecimal sum = lines.stream().map(l -> l.price().multiply(l.qty()).subtract(l.discount()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tax = BigDecimal.ZERO;
        for (JsModel.Line line : lines) {
            BigDecimal amount = line.price().multiply(line.qty()).subtract(line.discount());
            if (sum.signum() > 0) {
                amount = amount.subtract(coupon.multiply(amount).divide(sum, 10, RoundingMode.HALF_UP));
            }
            BigDecimal rate = line.lineTaxes().stream().filter(t -> !t.taxOnProductPrice())
                    .map(JsModel.LineTax::rate).reduce(BigDecimal.ZERO, BigDecimal::add);
            tax = tax.add(amount.multiply(rate).movePointLeft(2).setScale(2, RoundingMode.HALF_UP));
        }
        return tax;
    }

    /** A product catalogue keyed by exact SKU: rates ("21", "Exento"); null or empty mean "unknown in Contabilium". */
    static Function<String, Optional<ProductInfo>> catalogue(Map<String, String> ratesBySku) {
        return sku -> {
            if (!ratesBySku.containsKey(sku)) {
                return Optional.empty();
            }
            String rate = ratesBySku.get(sku);
            return Optional.of(new ProductInfo(Math.abs(sku.hashCode()) % 100_000, sku.toUpperCase(), "Concepto " + sku,
                    rate == null || rate.isEmpty() ? null : Alicuota.of(rate)));
        };
    }
}
