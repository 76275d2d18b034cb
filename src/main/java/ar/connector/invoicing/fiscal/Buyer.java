package ar.connector.invoicing.fiscal;

import java.util.Objects;
import java.util.Optional;

/**
 * Who an invoice is made out to, as the order states it.
 *
 * @param condicionIva RI, MO, EX or CF
 * @param conditionStated false when the order says nothing about the buyer's condition (then CF is assumed)
 * @param regionCode   the region's code as the store's checkout sends it (ISO 3166-2 subdivision or FIPS), or null
 * @param anonymous    true when the order carries no document: below the identification threshold
 *                     such a buyer is invoiced to the account's generic "Consumidor Final" customer
 */
public record Buyer(Optional<TaxDocument> document, String condicionIva, boolean conditionStated, String razonSocial,
        String email, String phone, String address, String city, String postal, String region, String regionCode,
        boolean anonymous) {

    public Buyer {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(condicionIva, "condicionIva");
    }

    /** The same buyer with the condition the invoice takes for it. */
    public Buyer withCondicionIva(String condition) {
        return new Buyer(document, condition, conditionStated, razonSocial, email, phone, address, city, postal, region,
                regionCode, anonymous);
    }

    public boolean hasCuit() {
        return document.filter(TaxDocument::isCuit).isPresent();
    }

    /** Contabilium's {@code Personeria}: CUITs starting with 3 belong to companies (jurídica). */
    public String personeria() {
        return document.filter(d -> d.isCuit() && d.numero().startsWith("3")).isPresent() ? "J" : "F";
    }
}
