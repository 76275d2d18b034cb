package ar.connector.sandbox.jumpseller;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Fluent seed for a sandbox order; {@link #create()} stores it and fires the creation webhooks.
 * Amounts are final (IVA included) as in the contract README.
 */
public final class OrderBuilder {
    private static final Set<String> STATUSES = Set.of("paid", "pending_payment", "canceled", "abandoned");

    record LineSpec(String sku, int qty, BigDecimal unitPrice, BigDecimal lineDiscount) {
    }

    private final SandboxStore store;
    final List<LineSpec> lines = new ArrayList<>();
    final List<SandboxOrder.AdditionalField> additionalFields = new ArrayList<>();
    String email = "comprador@example.com";
    String fullname = "Juan Pérez";
    String phone = "+5491155550000";
    String taxid = "";
    String address = "Av. Corrientes";
    Integer streetNumber;
    String city = "CABA";
    String postal = "1043";
    String region = "Buenos Aires";
    String regionCode = "B";
    String companyName = "";
    String taxpayerType = "";
    BigDecimal discount;
    BigDecimal shipping = BigDecimal.ZERO;
    BigDecimal shippingDiscount = BigDecimal.ZERO;
    BigDecimal giftCards = BigDecimal.ZERO;
    String currency = "ARS";
    String status = "pending_payment";
    OffsetDateTime createdAt;
    Long customerId;

    OrderBuilder(SandboxStore store) {
        this.store = store;
    }

    public OrderBuilder customer(String email, String fullname) {
        this.email = email;
        this.fullname = fullname;
        return this;
    }

    public OrderBuilder customerId(long id) { this.customerId = id; return this; }
    public OrderBuilder phone(String phone) { this.phone = phone; return this; }
    public OrderBuilder taxid(String taxid) { this.taxid = taxid; return this; }
    /** A region by name only (a checkout that sends no code). */
    public OrderBuilder region(String region) { this.region = region; this.regionCode = null; return this; }

    /**
     * The region as the checkout picked it: its name and code (ISO 3166-2 subdivision, "C" for CABA, as
     * Jumpseller's own payloads write them); a null name and code is a checkout that asked for none.
     */
    public OrderBuilder region(String region, String regionCode) {
        this.region = region;
        this.regionCode = regionCode;
        return this;
    }
    public OrderBuilder city(String city) { this.city = city; return this; }
    public OrderBuilder postal(String postal) { this.postal = postal; return this; }

    /** Street and number; a {@code null} number is what many checkouts produce. */
    public OrderBuilder address(String street, Integer number) {
        this.address = street;
        this.streetNumber = number;
        return this;
    }

    public OrderBuilder additionalField(String label, String value) {
        return additionalField(label, value, "billing");
    }

    public OrderBuilder additionalField(String label, String value, String area) {
        additionalFields.add(new SandboxOrder.AdditionalField(additionalFields.size() + 1L, label, value, area));
        return this;
    }

    public OrderBuilder billingCompany(String companyName, String taxpayerType) {
        this.companyName = companyName;
        this.taxpayerType = taxpayerType;
        return this;
    }

    public OrderBuilder line(String sku, int qty, BigDecimal unitPrice) {
        return line(sku, qty, unitPrice, BigDecimal.ZERO);
    }

    public OrderBuilder line(String sku, int qty, double unitPrice) {
        return line(sku, qty, BigDecimal.valueOf(unitPrice), BigDecimal.ZERO);
    }

    /** @param lineDiscount the line's TOTAL discount amount (not per unit) */
    public OrderBuilder line(String sku, int qty, BigDecimal unitPrice, BigDecimal lineDiscount) {
        lines.add(new LineSpec(Objects.requireNonNull(sku), qty, unitPrice, lineDiscount));
        return this;
    }

    public OrderBuilder line(String sku, int qty, double unitPrice, double lineDiscount) {
        return line(sku, qty, BigDecimal.valueOf(unitPrice), BigDecimal.valueOf(lineDiscount));
    }

    /**
     * The order's WHOLE discount as the {@code discount} field shows it, line discounts included
     * (contract README). Defaults to the sum of the line discounts; must not be below it.
     */
    public OrderBuilder discount(BigDecimal x) { this.discount = x; return this; }
    public OrderBuilder discount(double x) { return discount(BigDecimal.valueOf(x)); }
    public OrderBuilder shipping(BigDecimal x) { this.shipping = x; return this; }
    public OrderBuilder shipping(double x) { return shipping(BigDecimal.valueOf(x)); }
    public OrderBuilder shippingDiscount(BigDecimal x) { this.shippingDiscount = x; return this; }
    public OrderBuilder shippingDiscount(double x) { return shippingDiscount(BigDecimal.valueOf(x)); }
    public OrderBuilder giftCards(BigDecimal x) { this.giftCards = x; return this; }
    public OrderBuilder giftCards(double x) { return giftCards(BigDecimal.valueOf(x)); }
    public OrderBuilder currency(String currency) { this.currency = currency; return this; }

    /** One of paid, pending_payment, canceled, abandoned. Default pending_payment. */
    public OrderBuilder status(String statusEnum) {
        if (!STATUSES.contains(statusEnum)) {
            throw new IllegalArgumentException("unknown status_enum " + statusEnum);
        }
        this.status = statusEnum;
        return this;
    }

    public OrderBuilder createdAt(OffsetDateTime at) { this.createdAt = at; return this; }

    /** Stores the order, fires its webhooks and returns its id. */
    public long create() {
        return store.createOrder(this);
    }
}
