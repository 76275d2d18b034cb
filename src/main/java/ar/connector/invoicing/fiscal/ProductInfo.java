package ar.connector.invoicing.fiscal;

import java.math.BigDecimal;

/**
 * The Contabilium concept an order SKU maps to.
 *
 * @param codigo as Contabilium returns it (upper-cased), which may differ in case from the shop's SKU
 * @param iva    the concept's IVA rate in percent, or null when unknown (the link's default applies)
 */
public record ProductInfo(long idConcepto, String codigo, String nombre, BigDecimal iva) {
}
