package ar.connector.sandbox.jumpseller;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** Internal order state; rendered to JSON by {@link SandboxStore} (REST reads and webhooks alike). */
final class SandboxOrder {

    /** {@code taxRate}: the IVA Jumpseller adds on top of {@code price} in a tax-excluded store, else null. */
    record Line(long productId, Long variantId, String sku, String name, int qty,
                BigDecimal price, BigDecimal discount, BigDecimal taxRate) {
    }

    record AdditionalField(long id, String label, String value, String area) {
    }

    final long id;
    final OffsetDateTime createdAt;
    final String currency;
    final List<Line> lines;
    final BigDecimal subtotal;
    final BigDecimal discount;
    final BigDecimal shipping;
    final BigDecimal shippingDiscount;
    final BigDecimal giftCardsDiscount;
    final BigDecimal tax;
    final BigDecimal shippingTax;
    final BigDecimal shippingTaxRate;
    final long customerId;
    final String email;
    final String phone;
    final String fullname;
    final String name;
    final String surname;
    final String taxid;
    final String address;
    final Integer streetNumber;
    final String city;
    final String postal;
    final String region;
    final String regionCode;
    final String companyName;
    final String taxpayerType;
    final List<AdditionalField> additionalFields;
    volatile String statusEnum;
    volatile OffsetDateTime completedAt;

    SandboxOrder(OrderBuilder b, long id, long customerId, List<Line> lines, BigDecimal shippingTaxRate) {
        this.id = id;
        this.createdAt = b.createdAt;
        this.currency = b.currency;
        this.lines = List.copyOf(lines);
        this.subtotal = lines.stream().map(l -> l.price().multiply(BigDecimal.valueOf(l.qty())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal lineDiscounts = lines.stream().map(Line::discount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (b.discount != null && b.discount.compareTo(lineDiscounts) < 0) {
            throw new IllegalStateException("order discount " + b.discount
                    + " is the WHOLE discount and cannot be below the lines' own discounts " + lineDiscounts);
        }
        this.discount = b.discount != null ? b.discount : lineDiscounts;
        this.shipping = b.shipping;
        this.shippingDiscount = b.shippingDiscount;
        this.giftCardsDiscount = b.giftCards;
        this.tax = tax(lines, discount.subtract(lineDiscounts));
        this.shippingTaxRate = shippingTaxRate;
        this.shippingTax = shippingTaxRate == null ? BigDecimal.ZERO
                : percentOf(shipping.subtract(shippingDiscount), shippingTaxRate);
        this.customerId = customerId;
        this.email = b.email;
        this.phone = b.phone;
        this.fullname = b.fullname;
        int space = b.fullname.indexOf(' ');
        this.name = space < 0 ? b.fullname : b.fullname.substring(0, space);
        this.surname = space < 0 ? "" : b.fullname.substring(space + 1);
        this.taxid = b.taxid;
        this.address = b.address;
        this.streetNumber = b.streetNumber;
        this.city = b.city;
        this.postal = b.postal;
        this.region = b.region;
        this.regionCode = b.regionCode;
        this.companyName = b.companyName;
        this.taxpayerType = b.taxpayerType;
        this.additionalFields = List.copyOf(b.additionalFields);
        this.statusEnum = b.status;
    }

    /**
     * {@code total = subtotal - discount + shipping - shipping_discount - gift_cards_discount} (contract README),
     * plus {@code tax} and {@code shipping_tax} when the store adds them at checkout.
     */
    BigDecimal total() {
        return subtotal.subtract(discount).add(tax).add(shipping).add(shippingTax).subtract(shippingDiscount)
                .subtract(giftCardsDiscount);
    }

    /**
     * A tax-excluded store's tax (chosen where Jumpseller's docs are silent): each line's own, at its rate, on its
     * amount after its discount and its share of the order's coupon (in proportion to the lines' amounts, the last
     * line taking the rounding), each rounded to the cent. Zero when the store's prices include tax.
     */
    private static BigDecimal tax(List<Line> lines, BigDecimal coupon) {
        BigDecimal base = lines.stream().map(l -> l.price().multiply(BigDecimal.valueOf(l.qty())).subtract(l.discount()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal tax = BigDecimal.ZERO;
        BigDecimal couponLeft = coupon;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            BigDecimal amount = l.price().multiply(BigDecimal.valueOf(l.qty())).subtract(l.discount());
            BigDecimal share = i == lines.size() - 1 || base.signum() == 0 ? couponLeft
                    : coupon.multiply(amount).divide(base, 2, java.math.RoundingMode.HALF_UP);
            couponLeft = couponLeft.subtract(share);
            if (l.taxRate() != null) {
                tax = tax.add(percentOf(amount.subtract(share), l.taxRate()));
            }
        }
        return tax;
    }

    private static BigDecimal percentOf(BigDecimal amount, BigDecimal rate) {
        return amount.multiply(rate).movePointLeft(2).setScale(2, java.math.RoundingMode.HALF_UP);
    }
}
