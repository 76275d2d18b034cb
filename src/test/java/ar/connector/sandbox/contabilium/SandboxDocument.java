package ar.connector.sandbox.contabilium;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A sales document (comprobante) as stored by the sandbox: a draft until {@code cae} is set.
 * {@code importeTotalBruto} is without IVA, {@code importeTotalNeto} WITH IVA (Contabilium's naming).
 * {@code emitidoEl} is the day emitirFE granted the CAE, in America/Argentina/Buenos_Aires.
 */
public record SandboxDocument(long id, long idCliente, String razonSocial, String tipoFc, String modo,
                              long puntoVenta, String numero, String cae, String fechaVencimientoCae,
                              String fechaEmision, String condicionVenta, String observaciones, String refExterna,
                              Long idComprobanteAsociado, Long inventario, BigDecimal importeTotalBruto,
                              BigDecimal importeTotalNeto, List<Line> items, LocalDate emitidoEl, String linkPublico) {

    /** {@code exencion}: null for a line at the rate {@code iva}, else "Exento" or "No gravado" (iva 0). */
    public record Line(Long idConcepto, String codigo, String concepto, BigDecimal cantidad,
                       BigDecimal precioUnitario, BigDecimal iva, String exencion, BigDecimal bonificacion) {
    }

    public boolean issued() {
        return cae != null && !cae.isEmpty();
    }

    public boolean creditNote() {
        return tipoFc.startsWith("NC");
    }

    /** A, B or C. */
    public char letter() {
        return tipoFc.charAt(2);
    }

    LocalDate fechaEmisionDate() {
        return LocalDate.parse(fechaEmision.substring(0, 10));
    }

    SandboxDocument issue(String numero, String cae, String vencimiento, LocalDate on, String link) {
        return new SandboxDocument(id, idCliente, razonSocial, tipoFc, modo, puntoVenta, numero, cae, vencimiento,
                fechaEmision, condicionVenta, observaciones, refExterna, idComprobanteAsociado, inventario,
                importeTotalBruto, importeTotalNeto, items, on, link);
    }
}
