package ar.connector.links;

import java.math.BigDecimal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A link as the admin API receives it ({@code POST /api/links}, and the document a merge patch is
 * applied to). Absent settings take the defaults of {@link Settings#withDefaults()}.
 */
public record LinkRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull @Valid Contabilium contabilium,
        @NotNull @Valid Jumpseller jumpseller,
        @NotNull @Valid Settings settings) {

    public record Contabilium(
            @NotBlank @Email @Size(max = 320) String clientId,
            @NotBlank @Size(max = 500) String clientSecret) {
    }

    public record Jumpseller(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]*",
                    message = "must be a Jumpseller store code (letters, digits, '-' and '_')") String storeCode,
            @NotBlank @Size(max = 200) String login,
            @NotBlank @Size(max = 500) String authToken,
            @Size(min = 1, max = 500) String hooksToken) {
    }

    public record Settings(
            Boolean includeShippingCost,
            @Size(min = 1, max = 50) String shippingConceptCode,
            @IvaRate BigDecimal defaultIva,
            @NotNull @Positive Long puntoDeVentaId,
            @Positive Long depositoId,
            @Size(min = 1, max = 100) String condicionDeVenta,
            @Positive Long listaDePreciosId,
            Boolean autoInvoice,
            Boolean emailReceipts,
            @Email @Size(max = 320) String alertEmail,
            Boolean autoCreditNote) {

        public static final String DEFAULT_SHIPPING_CONCEPT = "ENVIO";
        public static final BigDecimal DEFAULT_IVA = new BigDecimal("21");
        public static final String DEFAULT_CONDICION_DE_VENTA = "Contado";

        /** The same settings with every absent optional value replaced by its default. */
        public Settings withDefaults() {
            return new Settings(
                    includeShippingCost == null ? Boolean.TRUE : includeShippingCost,
                    shippingConceptCode == null ? DEFAULT_SHIPPING_CONCEPT : shippingConceptCode,
                    defaultIva == null ? DEFAULT_IVA : defaultIva,
                    puntoDeVentaId,
                    depositoId,
                    condicionDeVenta == null ? DEFAULT_CONDICION_DE_VENTA : condicionDeVenta,
                    listaDePreciosId,
                    autoInvoice == null ? Boolean.TRUE : autoInvoice,
                    emailReceipts == null ? Boolean.TRUE : emailReceipts,
                    alertEmail,
                    autoCreditNote == null ? Boolean.TRUE : autoCreditNote);
        }
    }

    @Override
    public String toString() {
        // Records print every component; this one carries credentials.
        return "LinkRequest[name=" + name + ", store=" + (jumpseller == null ? null : jumpseller.storeCode()) + "]";
    }
}
