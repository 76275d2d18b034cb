package ar.connector.jumpseller;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Jumpseller's objects as the connector reads them: only the fields it uses, parsed leniently
 * (ids and amounts may arrive as strings, many fields may be null or absent).
 */
public final class JsModel {

    private JsModel() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Store(String code, String name, String currency, String country, String timezone, String email,
            String hooksToken) {

        @Override
        public String toString() {
            return "Store[" + code + ", " + name + "]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Order(
            long id,
            String status,
            String statusEnum,
            String createdAt,
            String currency,
            BigDecimal subtotal,
            BigDecimal tax,
            BigDecimal shippingTax,
            BigDecimal shipping,
            BigDecimal total,
            BigDecimal discount,
            BigDecimal shippingDiscount,
            BigDecimal giftCardsDiscount,
            Customer customer,
            BillingAddress billingAddress,
            BillingInformation billingInformation,
            List<AdditionalField> additionalFields,
            List<Line> products) {

        public boolean isPaid() {
            return "paid".equalsIgnoreCase(statusEnum);
        }

        public boolean isCanceled() {
            return "canceled".equalsIgnoreCase(statusEnum);
        }

        public Optional<OffsetDateTime> createdAtTime() {
            return time(createdAt);
        }

        public List<Line> lines() {
            return products == null ? List.of() : products;
        }

        public List<AdditionalField> fields() {
            return additionalFields == null ? List.of() : additionalFields;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Customer(String id, String email, String phone, String fullname) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BillingAddress(String name, String surname, String taxid, String address, String streetNumber,
            String city, String postal, String region, String regionCode, String country, String countryCode,
            String municipality) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BillingInformation(String companyName, String taxpayerType, String businessActivity) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AdditionalField(String label, String value, String area) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Line(Long id, Long variantId, String sku, String name, BigDecimal qty, BigDecimal price,
            BigDecimal discount, List<LineTax> taxes) {

        public List<LineTax> lineTaxes() {
            return taxes == null ? List.of() : taxes;
        }
    }

    /** A tax on an order's product ({@code OrderProductTax}); {@code taxOnProductPrice} false: added on top of it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LineTax(String name, BigDecimal rate, Boolean fixed, Boolean taxOnProductPrice) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Product(long id, String name, String sku, BigDecimal price, BigDecimal compareAtPrice, Integer stock,
            Boolean stockUnlimited, List<Variant> variants) {

        public List<Variant> variantList() {
            return variants == null ? List.of() : variants;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Variant(long id, String sku, BigDecimal price, BigDecimal compareAtPrice, Integer stock,
            Boolean stockUnlimited) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hook(long id, String event, String url) {
    }

    /**
     * A document attached to an order. {@code document_type} arrives as 0/1 or as the spec's "1 - invoice":
     * read as text, its leading digit is the type.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Document(String documentType, String externalId, String publicId) {

        public boolean is(int type, String external) {
            return documentType != null && documentType.trim().startsWith(String.valueOf(type))
                    && external.equals(externalId);
        }
    }

    /**
     * Jumpseller's order dates: {@code "2023-02-10 13:56:35 UTC"} as its API and webhooks write them, also
     * {@code "2026-11-27 10:15:00 -0300"} and ISO-8601; empty when the text is none of these.
     */
    public static Optional<OffsetDateTime> time(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()));
        } catch (DateTimeParseException notIso) {
            try {
                return Optional.of(ZonedDateTime.parse(text.trim(), SPACED).toOffsetDateTime());
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[ XX][ z]",
            Locale.ROOT);

    /** One page of {@code /orders/search.json}. */
    public record OrderPage(List<Order> orders, long count) {
    }
}
