package ar.connector.receipts;

import java.util.List;
import java.util.Locale;

/**
 * The words of a merchant alert digest: each order that became PARKED or FAILED with its reason and
 * what to do about it, and each invoiced order whose invoice needs a look, in Spanish. Plain Java, no mail API.
 */
public final class AlertDigestText {

    /** Days RG 4540 allows for a credit note, counted from the event that calls for it (here, the cancellation). */
    public static final int CREDIT_NOTE_DAYS = 15;

    /**
     * One order to report.
     *
     * @param creditNoteDaysLeft for an invoiced order canceled and waiting for a person's credit note, the days
     *                           left of the {@value #CREDIT_NOTE_DAYS} (negative once past); else null
     */
    public record Item(long orderId, String status, String reason, Integer creditNoteDaysLeft) {
    }

    public record Rendered(String subject, String body) {
    }

    private AlertDigestText() {
    }

    public static Rendered render(String store, List<Item> items, int more) {
        int total = items.size() + more;
        String subject = store + ": " + (total == 1 ? "1 pedido necesita" : total + " pedidos necesitan")
                + " su atención";
        StringBuilder body = new StringBuilder();
        body.append("Hola:\n\n")
                .append(total == 1 ? "Este pedido de " + store + " espera" : "Estos pedidos de " + store + " esperan")
                .append(" una acción suya:\n\n");
        for (Item item : items) {
            body.append("- Pedido #").append(item.orderId()).append(" (").append(label(item.status())).append(")\n")
                    .append("  Motivo: ").append(item.reason() == null ? "sin detalle" : item.reason()).append('\n');
            if (item.creditNoteDaysLeft() != null) {
                body.append("  Plazo: ").append(deadline(item.creditNoteDaysLeft())).append('\n');
            }
            body.append("  Qué hacer: ").append(advice(item.status(), item.reason())).append("\n\n");
        }
        if (more > 0) {
            body.append("… y ").append(more).append(more == 1 ? " pedido más" : " pedidos más")
                    .append(". Véalos en el registro de pedidos del conector (estado PARKED o FAILED).\n\n");
        }
        body.append("Una vez corregido, reintente cada pedido desde el conector (\"Facturar ahora\", ")
                .append("POST /api/links/{id}/orders/{pedido}/invoice).\n\n")
                .append("Este resumen se envía solo cuando hay novedades.\n");
        return new Rendered(subject, body.toString());
    }

    static String label(String status) {
        return switch (status) {
            case "PARKED" -> "detenido, necesita revisión";
            case "FAILED" -> "falló tras varios intentos";
            case "INVOICED" -> "facturado, revise la factura";
            default -> status;
        };
    }

    /** How much of RG 4540's time for the credit note is left. */
    static String deadline(int daysLeft) {
        if (daysLeft > 1) {
            return "quedan " + daysLeft + " de los " + CREDIT_NOTE_DAYS
                    + " días que la RG 4540 da para emitir la nota de crédito.";
        }
        if (daysLeft == 1) {
            return "queda 1 de los " + CREDIT_NOTE_DAYS + " días que la RG 4540 da para emitir la nota de crédito.";
        }
        if (daysLeft == 0) {
            return "hoy vence el plazo de " + CREDIT_NOTE_DAYS + " días que la RG 4540 da para emitir la nota de crédito.";
        }
        return "el plazo de " + CREDIT_NOTE_DAYS + " días de la RG 4540 para emitir la nota de crédito venció hace "
                + -daysLeft + (daysLeft == -1 ? " día." : " días.");
    }

    /** What the merchant can do, from the kind of reason the invoicing flow gave. */
    static String advice(String status, String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("difiere del total")) {
            return "compare la factura con el pedido; si corresponde, emita una nota de crédito (\"Emitir nota de "
                    + "crédito\" en la consola, POST /api/links/{id}/orders/{pedido}/credit-note).";
        }
        if (r.contains("cancelado después de facturarse")) {
            return "emita la nota de crédito (\"Emitir nota de crédito\" en la consola) o, si la venta sigue, "
                    + "anule la cancelación en Jumpseller.";
        }
        if (r.contains("factura de crédito electrónica")) {
            return "emita la Factura de Crédito Electrónica MiPyME desde Contabilium y marque el pedido como omitido.";
        }
        if (r.contains("credenciales")) {
            return "actualice las credenciales del vínculo (clave de API de Contabilium o token de Jumpseller) y reintente.";
        }
        if (r.contains("sku") || r.contains("producto en contabilium")) {
            return "cree en Contabilium el producto con ese código (o corrija el SKU en Jumpseller) y reintente.";
        }
        if (r.contains("concepto de envío")) {
            return "cree el concepto de envío en Contabilium o corrija 'shippingConceptCode' en el vínculo, y reintente.";
        }
        if (r.contains("cuit") || r.contains("no está identificado")) {
            return "pida al comprador su CUIT o DNI, cárguelo en el pedido de Jumpseller y reintente.";
        }
        if (r.contains("moneda")) {
            return "este pedido no está en pesos: factúrelo a mano en Contabilium y márquelo como omitido.";
        }
        if (r.contains("total calculado") || r.contains("no coincide")) {
            return "compare los importes del pedido con los precios y descuentos; corrija el pedido o factúrelo a mano.";
        }
        if (r.contains("arca") || r.contains("rechaz")) {
            return "revise los datos fiscales del comprador y del punto de venta según el mensaje, y reintente.";
        }
        if ("FAILED".equals(status)) {
            return "verifique que Contabilium y Jumpseller respondan (estado del conector) y reintente.";
        }
        return "revise el motivo, corrija el dato indicado y reintente.";
    }
}
