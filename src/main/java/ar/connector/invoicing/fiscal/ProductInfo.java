package ar.connector.invoicing.fiscal;

import ar.connector.contabilium.Alicuota;

/**
 * The Contabilium concept an order SKU maps to.
 *
 * @param codigo as Contabilium returns it (upper-cased), which may differ in case from the shop's SKU
 * @param iva    the concept's IVA (a rate, or an exemption), or null when unknown (the link's default rate applies)
 */
public record ProductInfo(long idConcepto, String codigo, String nombre, Alicuota iva) {
}
