package ar.connector.web;

/** One rejected field of a request, by dotted path (e.g. {@code settings.puntoDeVentaId}). */
public record FieldError(String field, String message) {
}
