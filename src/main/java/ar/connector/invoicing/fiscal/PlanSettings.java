package ar.connector.invoicing.fiscal;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The link's invoicing options the planner needs.
 *
 * @param shippingConceptCode the Contabilium concept invoiced for shipping (looked up like a SKU)
 * @param defaultIva          rate for products whose concept has no rate (and for shipping when no product has an
 *                            amount to take the rate from)
 */
public record PlanSettings(boolean includeShippingCost, String shippingConceptCode, BigDecimal defaultIva) {

    public PlanSettings {
        Objects.requireNonNull(defaultIva, "defaultIva");
    }
}
