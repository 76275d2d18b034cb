package ar.connector.invoicing.fiscal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import ar.connector.contabilium.CbModel;

/**
 * Contabilium's own arithmetic for a document, per line (contract "Sales documents"):
 * {@code neto = round2(PrecioUnitario × Cantidad × (1 − Bonificacion/100))}, {@code iva = round2(neto × Iva/100)},
 * total = Σ (neto + iva). Recomputing it here lets the connector compare before asking for a CAE.
 */
public final class ContabiliumTotals {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private ContabiliumTotals() {
    }

    /** One line's amounts as Contabilium computes them. */
    public record Line(BigDecimal neto, BigDecimal iva, BigDecimal total) {
    }

    public static Line amounts(CbModel.Item item) {
        BigDecimal bonificacion = orZero(item.bonificacion());
        BigDecimal neto = round2(orZero(item.precioUnitario()).multiply(orZero(item.cantidad()))
                .multiply(BigDecimal.ONE.subtract(bonificacion.divide(HUNDRED))));
        BigDecimal iva = round2(neto.multiply(item.iva() == null ? BigDecimal.ZERO : item.iva().percent()).divide(HUNDRED));
        return new Line(neto, iva, neto.add(iva));
    }

    public static BigDecimal total(List<CbModel.Item> items) {
        return items.stream().map(item -> amounts(item).total()).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    static BigDecimal round2(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
