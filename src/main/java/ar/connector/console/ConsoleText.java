package ar.connector.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

import ar.connector.invoicing.OrderStatus;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;

/**
 * The console speaks Spanish; the admin API answers in English for machines. This turns the API's
 * field errors and states into what a merchant reads, keyed by the API's dotted field names.
 */
final class ConsoleText {

    private ConsoleText() {
    }

    static String status(OrderStatus status) {
        return switch (status) {
            case PENDING -> "Pendiente";
            case INVOICED -> "Facturado";
            case PARKED -> "Requiere atención";
            case FAILED -> "Falló";
            case SKIPPED -> "Omitido";
            case CREDITED -> "Anulado con nota de crédito";
        };
    }

    /** The e-mail of the invoice to the buyer, as the order row shows it. */
    static String receipt(ar.connector.invoicing.OrderView.Receipt receipt) {
        return switch (receipt.status()) {
            case "SENT" -> receipt.count() > 1 ? "Enviado (" + receipt.count() + " envíos)" : "Enviado";
            case "PENDING" -> "En cola de envío";
            case "FAILED" -> "Envío fallido";
            case "SKIPPED" -> "No enviado";
            default -> receipt.status();
        };
    }

    /** "FCB" -> "Factura B", "NCA" -> "Nota de crédito A". */
    static String documentType(String tipo) {
        if (tipo == null || tipo.length() < 3) {
            return tipo == null ? "" : tipo;
        }
        String letter = tipo.substring(2);
        return (tipo.startsWith("NC") ? "Nota de crédito " : "Factura ") + letter;
    }

    static String syncKind(String kind) {
        return "PRICE".equals(kind) ? "Precios" : "Stock";
    }

    static String syncTrigger(String trigger) {
        return switch (trigger) {
            case "MANUAL" -> "Manual";
            case "SCHEDULE" -> "Programada";
            case "EVENT" -> "Por cambios en pedidos o stock";
            default -> trigger;
        };
    }

    static String syncState(String state) {
        return switch (state) {
            case "QUEUED" -> "En cola";
            case "RUNNING" -> "En curso";
            case "DONE" -> "Terminada";
            case "FAILED" -> "Falló";
            default -> state;
        };
    }

    /** Field errors by field, in Spanish; an error without a field goes under {@code ""}. */
    static Map<String, String> fieldErrors(ApiException e) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FieldError error : e.errors()) {
            // Two API errors on one field (blank and malformed) often read the same in Spanish: say it once.
            out.merge(error.field(), spanish(error, e.status()), (a, b) -> a.equals(b) ? a : a + " · " + b);
        }
        if (out.isEmpty()) {
            out.put("", general(e));
        }
        return out;
    }

    static final String PAGE_NOT_FOUND = "Esta página no existe: la tienda o el pedido pueden haber sido desconectados.";

    /** What an error page says when an action of the admin API refused a console page. */
    static String pageError(ApiException e) {
        return switch (e.status()) {
            case NOT_FOUND -> PAGE_NOT_FOUND;
            case SERVICE_UNAVAILABLE -> "Contabilium o Jumpseller no respondieron. Intente de nuevo en unos minutos.";
            case BAD_REQUEST -> "La dirección de esta página no es válida. Vuelva a la lista de tiendas y entre desde allí.";
            default -> "No se pudo completar: " + general(e);
        };
    }

    static String general(ApiException e) {
        if (e.status() == HttpStatus.CONFLICT) {
            return "Esta tienda de Jumpseller ya está conectada a una cuenta de Contabilium: desconéctela primero.";
        }
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            return "No se pudo contactar a Contabilium o a Jumpseller; no se guardó nada. Intente de nuevo en unos minutos.";
        }
        if (e.status() == HttpStatus.NOT_FOUND) {
            return "No existe (o ya fue desconectado).";
        }
        return "Revise los datos marcados.";
    }

    private static String spanish(FieldError error, HttpStatus status) {
        boolean live = status == HttpStatus.UNPROCESSABLE_ENTITY;
        String field = error.field();
        String message = error.message() == null ? "" : error.message();
        return switch (field) {
            case "contabilium.clientSecret", "clientSecret" -> live
                    ? "Contabilium rechazó este e-mail y clave de API. Cópielos de Configuración > Integraciones > API."
                    : "Ingrese la clave de API de Contabilium.";
            case "contabilium.clientId", "clientId" -> "Ingrese el e-mail de API de Contabilium (una dirección válida).";
            case "jumpseller.storeCode" -> live
                    ? "Estas credenciales de Jumpseller son de otra tienda (" + quoted(message) + ")."
                    : "Ingrese el código de la tienda (letras, números, '-' y '_').";
            case "jumpseller.login" -> "Ingrese el login de la API de Jumpseller.";
            case "jumpseller.authToken" -> live
                    ? "Jumpseller rechazó este login y token. Cópielos de Configuración > API en Jumpseller."
                    : "Ingrese el token de la API de Jumpseller.";
            case "jumpseller.hooksToken" ->
                    "La tienda no informó su token de notificaciones: cópielo de Configuración > Notificaciones.";
            case "settings.puntoDeVentaId" -> live
                    ? "Ese punto de venta no existe o no está activo en la cuenta."
                    : "Elija un punto de venta.";
            case "settings.condicionDeVenta" -> "Esa condición de venta no existe en la cuenta.";
            case "settings.depositoId" -> "Esa bodega no existe en la cuenta.";
            case "settings.listaDePreciosId" -> "Esa lista de precios no existe en la cuenta.";
            case "settings.shippingConceptCode" -> live
                    ? "No hay un producto con ese código en Contabilium para la línea de envío: créelo o desmarque «Incluir costo de envío»."
                    : "Ingrese el código del producto de envío.";
            case "settings.defaultIva" -> "Elija una alícuota: 21, 10,5, 27, 5, 2,5 o 0.";
            case "settings.alertEmail" -> "Ingrese una dirección de e-mail válida.";
            case "name" -> "Ingrese un nombre (hasta 200 caracteres).";
            case "from", "to", "orderIds" -> switch (field) {
                case "orderIds" -> "Seleccione al menos un pedido (hasta 1000).";
                default -> "Indique las fechas desde y hasta (la de inicio no puede ser posterior).";
            };
            default -> message;
        };
    }

    private static String quoted(String message) {
        int start = message.indexOf('\'');
        int end = message.lastIndexOf('\'');
        return start >= 0 && end > start ? message.substring(start + 1, end) : message;
    }

    static final List<String> IVA_RATES = List.of("21", "10.5", "27", "5", "2.5", "0");
}
